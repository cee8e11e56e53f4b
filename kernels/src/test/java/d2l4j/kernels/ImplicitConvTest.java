package d2l4j.kernels;

import d2l4j.tensor.ConvGeometry;
import org.junit.jupiter.api.Test;

/**
 * The simd ImplicitConv (implicit GEMM over padded rows) against its reference twin, called directly on
 * awkward stride-1 shapes: row counts around the 6-row and 4-row tiles, padded rows that are not a
 * multiple of the vector length, padding 0 and R−1, 1×1 kernels, 1 image and several, nonzero offsets.
 * Outputs start as NaN: the kernels must overwrite them.
 */
class ImplicitConvTest {
    // {n, c, h, w, k, r, s, padH, padW}
    static final int[][] CASES = {
        {2, 1, 28, 28, 6, 5, 5, 2, 2}, {2, 6, 14, 14, 16, 5, 5, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 0, 0},
        {3, 3, 7, 9, 5, 3, 3, 1, 1}, {2, 7, 5, 17, 13, 3, 2, 2, 1}, {1, 2, 33, 3, 7, 4, 3, 3, 0},
        {2, 4, 6, 6, 1, 1, 1, 0, 0}, {3, 5, 4, 31, 11, 2, 5, 0, 4},
        // 3×3 maps under 5×5 kernels padded by 2, where the simd kernel turns its tile (ChannelLanes) on every
        // variant: forward (28 channels out, 9 pixels: a part tile) and backwardData (32 channels of dx);
        // then many channels on the row tile
        {2, 5, 3, 3, 28, 5, 5, 2, 2}, {1, 32, 3, 3, 8, 5, 5, 2, 2}, {3, 30, 6, 7, 50, 3, 3, 1, 1},
        {1, 12, 4, 4, 96, 3, 3, 0, 2},
    };

    @Test
    void simdMatchesReference() {
        long seed = 11;
        for (int[] t : CASES) {
            int n = t[0], c = t[1], h = t[2], w = t[3], k = t[4], r = t[5], s = t[6], ph = t[7], pw = t[8];
            ConvGeometry g = new ConvGeometry(n, c, h, w, k, r, s, 1, 1, ph, pw);
            int p = g.p(), q = g.q(), off = 3;
            float[] x = TestData.uniform(seed++, off + n * c * h * w), wt = TestData.uniform(seed++, k * c * r * s);
            float[] bias = TestData.uniform(seed++, k), dy = TestData.uniform(seed++, off + n * k * p * q);
            String what = java.util.Arrays.toString(t);
            CpuKernels[] both = {CpuKernels.reference(), CpuKernels.vector()};
            float[][] y = new float[2][], dx = new float[2][], dw = new float[2][], db = new float[2][];
            for (int i = 0; i < 2; i++) {
                y[i] = nans(off + n * k * p * q);
                dx[i] = nans(off + n * c * h * w);
                dw[i] = nans(off + k * c * r * s);
                db[i] = nans(off + k);
                both[i].implicitConv().forward(g, x, off, wt, bias, y[i], off);
                both[i].implicitConv().backwardData(g, dy, off, wt, dx[i], off);
                both[i].implicitConv().backwardWeight(g, x, off, dy, off, dw[i], off, db[i], off);
            }
            TestData.assertClose("forward " + what, y[0], y[1], 1e-5, 1e-5 * Math.sqrt(c * r * s));
            TestData.assertClose("backwardData " + what, dx[0], dx[1], 1e-5, 1e-5 * Math.sqrt(k * r * s));
            TestData.assertClose("backwardWeight " + what, dw[0], dw[1], 1e-5, 1e-5 * Math.sqrt(n * p * q));
            TestData.assertClose("bias grad " + what, db[0], db[1], 1e-5, 1e-5 * Math.sqrt(n * p * q));
        }
    }

    /**
     * The forward sums each output as one FMA chain over (c, r, s), whichever way its tile lies (rows of padded
     * columns or lanes across channels): the same bits as im2col + the packed gemm + bias, which is what keeps a
     * training run's bits independent of the shapes' path and of the variant.
     */
    @Test
    void forwardHasTheBitsOfIm2colAndGemm() {
        long seed = 101;
        CpuKernels simd = CpuKernels.vector();
        for (int[] t : CASES) {
            int n = 1, c = t[1], h = t[2], w = t[3], k = t[4], r = t[5], s = t[6], ph = t[7], pw = t[8];
            ConvGeometry g = new ConvGeometry(n, c, h, w, k, r, s, 1, 1, ph, pw);
            if (g.crs() > 512) continue; // beyond one k block the gemm adds block sums: another order
            int pq = g.pq();
            float[] x = TestData.uniform(seed++, c * h * w), wt = TestData.uniform(seed++, k * c * r * s);
            float[] bias = TestData.uniform(seed++, k), y = new float[k * pq], col = new float[g.crs() * pq];
            simd.implicitConv().forward(g, x, 0, wt, bias, y, 0);
            simd.im2col().im2col(g, x, 0, col, 0);
            float[] expected = new float[k * pq];
            simd.gemm().gemm(false, false, k, pq, g.crs(), wt, 0, g.crs(), col, 0, pq, 0f, expected, 0, pq);
            for (int i = 0; i < k * pq; i++) expected[i] += bias[i / pq];
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, y, java.util.Arrays.toString(t));
        }
    }

    /** The cases above reach both orientations of the simd tile, in forward and in backwardData, on this variant. */
    @Test
    void casesReachBothTiles() {
        boolean fwd = false, fwdRows = false, bwd = false;
        for (int[] t : CASES) {
            ConvGeometry image = new ConvGeometry(1, t[1], t[2], t[3], t[4], t[5], t[6], 1, 1, t[7], t[8]);
            ConvGeometry adjoint = new ConvGeometry(1, t[4], image.p(), image.q(), t[1], t[5], t[6], 1, 1,
                    t[5] - 1 - t[7], t[6] - 1 - t[8]);
            boolean f = d2l4j.kernels.simd.ImplicitConv.channelLanes(image);
            fwd |= f;
            fwdRows |= !f;
            bwd |= d2l4j.kernels.simd.ImplicitConv.channelLanes(adjoint);
        }
        org.junit.jupiter.api.Assertions.assertTrue(fwd && fwdRows && bwd,
                "channel tile in forward " + fwd + ", row tile in forward " + fwdRows + ", channel tile in backwardData " + bwd);
    }

    private static float[] nans(int len) {
        float[] a = new float[len];
        java.util.Arrays.fill(a, 0, 3, 0f); // the offset prefix is not written by either kernel
        java.util.Arrays.fill(a, 3, len, Float.NaN);
        return a;
    }
}
