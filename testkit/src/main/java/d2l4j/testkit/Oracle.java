package d2l4j.testkit;

import d2l4j.tensor.ConvGeometry;
import d2l4j.tensor.PoolGeometry;

/**
 * The definitions of the Backend's kernels as plain loops in double precision, for {@link BackendContract} to
 * check every backend against (the reference CPU kernels included). Each result carries, per element, the sum
 * of the magnitudes of the terms that made it ({@link Exact#mag}), so that a float32 result can be judged by
 * the rounding error its own terms allow, not by a tolerance fitted to one case.
 *
 * <p>Shapes as everywhere: images NCHW, convolution weights KCRS, matrices row-major.
 */
public final class Oracle {
    private Oracle() {}

    /** Exact values and, per element, Σ|terms| and the number of terms (for the tolerance). */
    public record Exact(double[] value, double[] mag, int terms) {
        static Exact of(int n, int terms) {
            return new Exact(new double[n], new double[n], terms);
        }

        void add(int i, double term) {
            value[i] += term;
            mag[i] += Math.abs(term);
        }
    }

    // C = op(A)·op(B) + beta·C0, A stored m×k (k×m when transA), B k×n (n×k when transB)
    public static Exact gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float beta, float[] c0) {
        Exact c = Exact.of(m * n, k + 1);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                if (beta != 0f) c.add(i * n + j, (double) beta * c0[i * n + j]);
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p], bv = transB ? b[j * k + p] : b[p * n + j];
                    c.add(i * n + j, av * bv);
                }
            }
        return c;
    }

    /** The index of x[n, c, p·sh − ph + r, q·sw − pw + s], or −1 where it falls in the padding. */
    private static int xAt(ConvGeometry g, int n, int c, int p, int q, int r, int s) {
        int ih = p * g.strideH() - g.padH() + r, iw = q * g.strideW() - g.padW() + s;
        return ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w() ? -1 : ((n * g.c() + c) * g.h() + ih) * g.w() + iw;
    }

    // y[n,k,p,q] = b[k] + Σ_{c,r,s} w[k,c,r,s] · x[n, c, p·sh + r − ph, q·sw + s − pw]
    public static Exact conv2d(ConvGeometry g, float[] x, float[] w, float[] bias) {
        int P = g.p(), Q = g.q();
        Exact y = Exact.of(g.ySize(), g.crs() + 1);
        for (int n = 0; n < g.n(); n++)
            for (int k = 0; k < g.k(); k++)
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < Q; q++) {
                        int yi = ((n * g.k() + k) * P + p) * Q + q;
                        if (bias != null) y.add(yi, bias[k]);
                        for (int c = 0; c < g.c(); c++)
                            for (int r = 0; r < g.r(); r++)
                                for (int s = 0; s < g.s(); s++) {
                                    int xi = xAt(g, n, c, p, q, r, s);
                                    if (xi >= 0) y.add(yi, (double) w[((k * g.c() + c) * g.r() + r) * g.s() + s] * x[xi]);
                                }
                    }
        return y;
    }

    // dx = the adjoint of conv2d in x: each x element gets w·dy from every output it fed
    public static Exact conv2dBackwardData(ConvGeometry g, float[] dy, float[] w) {
        int P = g.p(), Q = g.q();
        Exact dx = Exact.of(g.xSize(), g.k() * g.r() * g.s());
        for (int n = 0; n < g.n(); n++)
            for (int k = 0; k < g.k(); k++)
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < Q; q++) {
                        double d = dy[((n * g.k() + k) * P + p) * Q + q];
                        for (int c = 0; c < g.c(); c++)
                            for (int r = 0; r < g.r(); r++)
                                for (int s = 0; s < g.s(); s++) {
                                    int xi = xAt(g, n, c, p, q, r, s);
                                    if (xi >= 0) dx.add(xi, w[((k * g.c() + c) * g.r() + r) * g.s() + s] * d);
                                }
                    }
        return dx;
    }

    // dW[k,c,r,s] = Σ_{n,p,q} dy[n,k,p,q] · x[n, c, p·sh + r − ph, q·sw + s − pw]; then dBias[k] = Σ dy at index K·C·R·S + k
    public static Exact conv2dBackwardWeight(ConvGeometry g, float[] x, float[] dy) {
        int P = g.p(), Q = g.q(), wSize = g.weightSize();
        Exact dw = Exact.of(wSize + g.k(), g.n() * P * Q);
        for (int n = 0; n < g.n(); n++)
            for (int k = 0; k < g.k(); k++)
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < Q; q++) {
                        double d = dy[((n * g.k() + k) * P + p) * Q + q];
                        dw.add(wSize + k, d);
                        for (int c = 0; c < g.c(); c++)
                            for (int r = 0; r < g.r(); r++)
                                for (int s = 0; s < g.s(); s++) {
                                    int xi = xAt(g, n, c, p, q, r, s);
                                    if (xi >= 0) dw.add(((k * g.c() + c) * g.r() + r) * g.s() + s, x[xi] * d);
                                }
                    }
        return dw;
    }

    // average pooling, padding counted as 0 in the sum and in the divisor R·S (count_include_pad)
    public static Exact avgPool(PoolGeometry g, float[] x) {
        return avg(g, x, false);
    }

    // the adjoint of avgPool: dy/(R·S) to every in-image element of each window
    public static Exact avgPoolBackward(PoolGeometry g, float[] dy) {
        return avg(g, dy, true);
    }

    private static Exact avg(PoolGeometry g, float[] in, boolean backward) {
        int P = g.p(), Q = g.q(), planes = g.n() * g.c();
        double divisor = g.r() * g.s();
        Exact out = Exact.of(backward ? planes * g.h() * g.w() : planes * P * Q, g.r() * g.s());
        for (int pl = 0; pl < planes; pl++)
            for (int p = 0; p < P; p++)
                for (int q = 0; q < Q; q++)
                    for (int r = 0; r < g.r(); r++)
                        for (int s = 0; s < g.s(); s++) {
                            int ih = p * g.strideH() - g.padH() + r, iw = q * g.strideW() - g.padW() + s;
                            if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) continue;
                            int xi = (pl * g.h() + ih) * g.w() + iw, yi = (pl * P + p) * Q + q;
                            if (backward) out.add(xi, in[yi] / divisor);
                            else out.add(yi, in[xi] / divisor);
                        }
        return out;
    }

    /** Within each window, row-major, the index of the first maximum (−1 when the window is all padding). */
    public static int[] maxPoolArgmax(PoolGeometry g, float[] x) {
        int P = g.p(), Q = g.q(), planes = g.n() * g.c();
        int[] at = new int[planes * P * Q];
        for (int pl = 0; pl < planes; pl++)
            for (int p = 0; p < P; p++)
                for (int q = 0; q < Q; q++) {
                    int best = -1;
                    for (int r = 0; r < g.r(); r++)
                        for (int s = 0; s < g.s(); s++) {
                            int ih = p * g.strideH() - g.padH() + r, iw = q * g.strideW() - g.padW() + s;
                            if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) continue;
                            int xi = (pl * g.h() + ih) * g.w() + iw;
                            if (best < 0 || x[xi] > x[best]) best = xi;
                        }
                    at[(pl * P + p) * Q + q] = best;
                }
        return at;
    }

    // adaptive average pooling as PyTorch: cell (i, j) averages rows [⌊i·H/oh⌋, ⌈(i+1)·H/oh⌉), columns likewise
    public static Exact adaptiveAvgPool(int planes, int h, int w, int oh, int ow, float[] x) {
        return adaptive(planes, h, w, oh, ow, x, false);
    }

    // the adjoint: each dy cell spread evenly over its bin
    public static Exact adaptiveAvgPoolBackward(int planes, int h, int w, int oh, int ow, float[] dy) {
        return adaptive(planes, h, w, oh, ow, dy, true);
    }

    private static Exact adaptive(int planes, int h, int w, int oh, int ow, float[] in, boolean backward) {
        Exact out = backward ? Exact.of(planes * h * w, oh * ow) : Exact.of(planes * oh * ow, h * w);
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int h0 = i * h / oh, h1 = ((i + 1) * h + oh - 1) / oh, w0 = j * w / ow, w1 = ((j + 1) * w + ow - 1) / ow;
                    double cells = (h1 - h0) * (w1 - w0);
                    int cell = (pl * oh + i) * ow + j;
                    for (int a = h0; a < h1; a++)
                        for (int b = w0; b < w1; b++) {
                            int xi = (pl * h + a) * w + b;
                            if (backward) out.add(xi, in[cell] / cells);
                            else out.add(cell, in[xi] / cells);
                        }
                }
        return out;
    }

    /** {mean cross-entropy of softmax(logits) against the labels, then prob[n×classes]} in double. */
    public static double[][] softmaxCrossEntropy(float[] logits, int n, int classes, int[] labels) {
        double[] prob = new double[n * classes];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < classes; j++) max = Math.max(max, logits[i * classes + j]);
            for (int j = 0; j < classes; j++) sum += Math.exp(logits[i * classes + j] - max);
            for (int j = 0; j < classes; j++) prob[i * classes + j] = Math.exp(logits[i * classes + j] - max) / sum;
            loss += -(logits[i * classes + labels[i]] - max - Math.log(sum));
        }
        return new double[][] {{loss / n}, prob};
    }
}
