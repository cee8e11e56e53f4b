package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.ConvGeometry;
import org.junit.jupiter.api.Test;

/**
 * Convolution (every ConvPath) against the 7-loop definition of convolution in double, forward and both
 * backward passes, with the reference and the simd kernels, on 1, 2 and 3 threads. Tolerance:
 * relative 1e-5·√(terms per output) of the sum of |terms| (as for gemm), checked per element.
 * Also: deterministic run to run, forward/backwardData bit-identical across thread counts,
 * and dimension checks that name expected and actual sizes.
 */
class ConvolutionTest {
    // {n, c, h, w, k, r, s, strideH, strideW, padH, padW}
    static final int[][] CASES = {
        {2, 3, 7, 7, 4, 3, 3, 1, 1, 1, 1}, {3, 2, 9, 8, 5, 3, 3, 2, 2, 1, 1}, {1, 1, 5, 5, 1, 1, 1, 1, 1, 0, 0},
        {4, 6, 6, 5, 7, 1, 1, 1, 1, 0, 0}, {2, 2, 11, 13, 3, 5, 5, 1, 1, 2, 2}, {3, 3, 12, 12, 2, 11, 11, 4, 4, 2, 2},
        {2, 4, 5, 7, 3, 1, 1, 2, 2, 0, 0}, {5, 1, 6, 9, 2, 2, 3, 1, 2, 0, 1},
        // LeNet's two convolutions (the implicit path), odd widths, asymmetric padding, padding >= kernel (im2col)
        {3, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2}, {3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0}, {4, 5, 9, 13, 7, 3, 5, 1, 1, 0, 2},
        {3, 2, 6, 5, 9, 2, 3, 1, 1, 1, 0}, {3, 2, 5, 5, 3, 2, 2, 1, 1, 2, 2},
        // small maps, several images per product (GoogLeNet's 3×3 and 6×6 layers, 1×1 and k×k; leftover images)
        {7, 20, 3, 3, 9, 1, 1, 1, 1, 0, 0}, {6, 9, 6, 6, 10, 3, 3, 1, 1, 1, 1}, {5, 12, 4, 4, 6, 5, 5, 1, 1, 2, 2},
        {7, 3, 8, 8, 5, 3, 3, 2, 2, 1, 1},
        // 24+ rows (the 12-row tile, two panels) on small maps (the last column strip one vector wide), both ways
        {4, 5, 6, 6, 26, 3, 3, 1, 1, 1, 1}, {3, 30, 3, 3, 7, 3, 3, 1, 1, 1, 1}, {2, 4, 12, 12, 25, 3, 3, 1, 1, 1, 1},
    };

    record Case(int n, int c, int h, int w, int k, int r, int s, int sh, int sw, int ph, int pw) {
        static Case of(int[] t) {
            return new Case(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10]);
        }

        ConvGeometry geometry() { return new ConvGeometry(n, c, h, w, k, r, s, sh, sw, ph, pw); }
        int p() { return geometry().p(); }
        int q() { return geometry().q(); }

        /** Index of x[ni, ci, ih, iw], or −1 in the padding, for output (pi, qi) and tap (ri, si). */
        int xAt(int ni, int ci, int pi, int qi, int ri, int si) {
            int ih = pi * sh - ph + ri, iw = qi * sw - pw + si;
            return ih < 0 || ih >= h || iw < 0 || iw >= w ? -1 : ((ni * c + ci) * h + ih) * w + iw;
        }
    }

    /** value + magnitude accumulators for the tolerance */
    static final class Acc {
        double v, mag;
        void add(double t) { v += t; mag += Math.abs(t); }
    }

    static void check(String what, Acc[] exact, float[] got, int terms) {
        for (int i = 0; i < got.length; i++) {
            double tol = 1e-5 * Math.sqrt(terms) * exact[i].mag + 1e-6;
            if (!(Math.abs(got[i] - exact[i].v) <= tol)) {
                org.junit.jupiter.api.Assertions.fail(what + " at " + i + ": expected " + exact[i].v + " got " + got[i]);
            }
        }
    }

    static Acc[] accs(int len) {
        Acc[] a = new Acc[len];
        for (int i = 0; i < len; i++) a[i] = new Acc();
        return a;
    }

    @Test
    void matchesTheSevenLoopDefinition() {
        long seed = 1;
        for (int[] t : CASES) {
            Case cs = Case.of(t);
            int n = cs.n, c = cs.c, k = cs.k, r = cs.r, s = cs.s, p = cs.p(), q = cs.q();
            float[] x = TestData.uniform(seed++, n * c * cs.h * cs.w), wt = TestData.uniform(seed++, k * c * r * s);
            float[] bias = TestData.uniform(seed++, k), dy = TestData.uniform(seed++, n * k * p * q);
            Acc[] y = accs(dy.length), dx = accs(x.length), dw = accs(wt.length), db = accs(k);
            // the 7-loop definition and its two adjoints
            for (int ni = 0; ni < n; ni++)
                for (int ki = 0; ki < k; ki++)
                    for (int pi = 0; pi < p; pi++)
                        for (int qi = 0; qi < q; qi++) {
                            int yi = ((ni * k + ki) * p + pi) * q + qi;
                            y[yi].add(bias[ki]);
                            db[ki].add(dy[yi]);
                            for (int ci = 0; ci < c; ci++)
                                for (int ri = 0; ri < r; ri++)
                                    for (int si = 0; si < s; si++) {
                                        int xi = cs.xAt(ni, ci, pi, qi, ri, si), wi = ((ki * c + ci) * r + ri) * s + si;
                                        if (xi < 0) continue;
                                        y[yi].add((double) wt[wi] * x[xi]);
                                        dx[xi].add((double) wt[wi] * dy[yi]);
                                        dw[wi].add((double) x[xi] * dy[yi]);
                                    }
                        }
            for (CpuKernels kern : new CpuKernels[] {CpuKernels.reference(), CpuKernels.vector()}) {
                for (int threads = 1; threads <= 3; threads++) {
                    String what = kern.name() + ", " + threads + " threads, " + java.util.Arrays.toString(t);
                    Convolution conv = new Convolution(kern, Parallel.of(threads));
                    float[] gy = new float[dy.length], gdx = new float[x.length], gdw = new float[wt.length], gdb = new float[k];
                    java.util.Arrays.fill(gdx, Float.NaN); // outputs are overwritten, never accumulated
                    java.util.Arrays.fill(gdw, Float.NaN);
                    conv.forward(new ConvGeometry(n, c, cs.h, cs.w, k, r, s, cs.sh, cs.sw, cs.ph, cs.pw), x, wt, bias, gy);
                    conv.backwardData(new ConvGeometry(n, c, cs.h, cs.w, k, r, s, cs.sh, cs.sw, cs.ph, cs.pw), dy, wt, gdx);
                    conv.backwardWeight(new ConvGeometry(n, c, cs.h, cs.w, k, r, s, cs.sh, cs.sw, cs.ph, cs.pw), x, dy, gdw, gdb);
                    check("forward " + what, y, gy, c * r * s + 1);
                    check("backwardData " + what, dx, gdx, k * r * s);
                    check("backwardWeight " + what, dw, gdw, n * p * q);
                    check("bias grad " + what, db, gdb, n * p * q);
                }
            }
        }
    }

    @Test
    void deterministicRunToRunAndAcrossThreadsWhereThePartitionAllows() {
        int n = 7, c = 3, h = 10, w = 9, k = 5, r = 3, s = 3;
        float[] x = TestData.uniform(1, n * c * h * w), wt = TestData.uniform(2, k * c * r * s);
        float[] bias = TestData.uniform(3, k), dy = TestData.uniform(4, n * k * h * w);
        for (CpuKernels kern : new CpuKernels[] {CpuKernels.reference(), CpuKernels.vector()}) {
            float[][] first = null;
            for (int threads = 1; threads <= 3; threads++) {
                Convolution conv = new Convolution(kern, Parallel.of(threads));
                float[][] prev = null;
                for (int run = 0; run < 3; run++) {
                    float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wt.length], db = new float[k];
                    conv.forward(new ConvGeometry(n, c, h, w, k, r, s, 1, 1, 1, 1), x, wt, bias, y);
                    conv.backwardData(new ConvGeometry(n, c, h, w, k, r, s, 1, 1, 1, 1), dy, wt, dx);
                    conv.backwardWeight(new ConvGeometry(n, c, h, w, k, r, s, 1, 1, 1, 1), x, dy, dw, db);
                    float[][] now = {y, dx, dw, db};
                    if (prev != null) {
                        for (int i = 0; i < 4; i++) TestData.assertSameBits(kern.name() + " run " + run + " output " + i, prev[i], now[i]);
                    }
                    prev = now;
                }
                if (first == null) first = prev;
                // per-image results do not depend on the split; dW/db partial sums do (grouping by part)
                TestData.assertSameBits(kern.name() + " forward, " + threads + " threads", first[0], prev[0]);
                TestData.assertSameBits(kern.name() + " backwardData, " + threads + " threads", first[1], prev[1]);
            }
        }
    }

    @Test
    void groupedProductsGiveTheBitsOfImageByImage() {
        // stride 2 keeps every direction on the gemm path; 7 images of 4×4 outputs go as one product on 1 thread
        int n = 7, c = 3, h = 8, w = 8, k = 5, r = 3, s = 3, pq = 16;
        float[] x = TestData.uniform(11, n * c * h * w), wt = TestData.uniform(12, k * c * r * s);
        float[] bias = TestData.uniform(13, k), dy = TestData.uniform(14, n * k * pq);
        Convolution conv = new Convolution(CpuKernels.vector(), Parallel.of(1));
        float[] y = new float[n * k * pq], dx = new float[x.length], y1 = new float[k * pq], dx1 = new float[c * h * w];
        conv.forward(new ConvGeometry(n, c, h, w, k, r, s, 2, 2, 1, 1), x, wt, bias, y);
        conv.backwardData(new ConvGeometry(n, c, h, w, k, r, s, 2, 2, 1, 1), dy, wt, dx);
        for (int img = 0; img < n; img++) {
            float[] xi = java.util.Arrays.copyOfRange(x, img * c * h * w, (img + 1) * c * h * w);
            float[] dyi = java.util.Arrays.copyOfRange(dy, img * k * pq, (img + 1) * k * pq);
            conv.forward(new ConvGeometry(1, c, h, w, k, r, s, 2, 2, 1, 1), xi, wt, bias, y1);
            conv.backwardData(new ConvGeometry(1, c, h, w, k, r, s, 2, 2, 1, 1), dyi, wt, dx1);
            TestData.assertSameBits("forward, image " + img, y1, java.util.Arrays.copyOfRange(y, img * k * pq, (img + 1) * k * pq));
            TestData.assertSameBits("backwardData, image " + img, dx1,
                    java.util.Arrays.copyOfRange(dx, img * c * h * w, (img + 1) * c * h * w));
        }
    }

    @Test
    void batchOfOneUsesParallelGemmWithTheSameBits() {
        int c = 4, h = 12, w = 12, k = 70, r = 3, s = 3;
        float[] x = TestData.uniform(5, c * h * w), wt = TestData.uniform(6, k * c * r * s);
        float[] y1 = new float[k * h * w], y3 = new float[k * h * w];
        new Convolution(CpuKernels.vector(), Parallel.of(1)).forward(new ConvGeometry(1, c, h, w, k, r, s, 1, 1, 1, 1), x, wt, null, y1);
        new Convolution(CpuKernels.vector(), Parallel.of(3)).forward(new ConvGeometry(1, c, h, w, k, r, s, 1, 1, 1, 1), x, wt, null, y3);
        TestData.assertSameBits("batch of one", y1, y3);
    }

    @Test
    void wrongSizesNameExpectedAndActual() {
        Convolution conv = new Convolution(CpuKernels.reference(), Parallel.of(1));
        var e = assertThrows(IllegalArgumentException.class, () -> conv.forward(new ConvGeometry(2, 3, 5, 5, 4, 3, 3, 1, 1, 1, 1), new float[2 * 3 * 5 * 5], new float[4 * 3 * 9], null, new float[10]));
        assertTrue(e.getMessage().contains("expected y of 200 floats for [2, 4, 5, 5], got 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> conv.forward(new ConvGeometry(2, 3, 5, 5, 4, 3, 3, 1, 1, 1, 1), new float[7], new float[4 * 3 * 9], null, new float[200]));
        assertTrue(e.getMessage().contains("expected x of 150 floats for [2, 3, 5, 5], got 7"), e.getMessage());
    }
}
