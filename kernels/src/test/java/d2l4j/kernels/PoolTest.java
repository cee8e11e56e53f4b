package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import d2l4j.tensor.PoolGeometry;
import d2l4j.tensor.Window2d;
import org.junit.jupiter.api.Test;

/**
 * Pooling: hand-checked examples of PyTorch's semantics (count_include_pad=True, first maximum,
 * NaN wins, overlapping windows add); simd against reference on awkward shapes with offsets.
 * Tolerances: max forward and max backward exact (same values, same routing and order); average
 * forward/backward relative 1e-5 + absolute 1e-6 (sums added in another order).
 */
class PoolTest {
    // {n, c, h, w, r, s, strideH, strideW, padH, padW}
    static final int[][] CASES = {
        {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, {2, 3, 4, 4, 2, 2, 2, 2, 0, 0}, {1, 2, 7, 7, 3, 3, 2, 2, 1, 1},
        {2, 1, 13, 13, 3, 3, 2, 2, 0, 0}, {1, 3, 17, 33, 3, 3, 1, 1, 1, 1}, {1, 1, 33, 40, 5, 5, 1, 1, 2, 2},
        {3, 2, 9, 17, 2, 3, 1, 2, 1, 1}, {1, 1, 8, 35, 3, 3, 1, 1, 0, 0}, {2, 2, 6, 5, 1, 1, 2, 2, 0, 0},
        {1, 1, 35, 3, 3, 3, 3, 3, 1, 1}, {2, 2, 9, 70, 3, 3, 2, 2, 1, 1}, {1, 2, 7, 75, 3, 3, 2, 2, 0, 0},
        // windows that tile the input (the fast average path), with and without leftover rows/columns
        {2, 3, 28, 28, 2, 2, 2, 2, 0, 0}, {3, 2, 11, 9, 2, 3, 2, 3, 0, 0}, {1, 2, 7, 10, 3, 3, 3, 3, 0, 0},
        // narrow planes, at least V of them (max backward vectorizes across planes), with leftover planes
        {2, 17, 6, 6, 3, 3, 1, 1, 1, 1}, {1, 20, 12, 12, 3, 3, 2, 2, 1, 1}, {3, 11, 3, 3, 3, 3, 1, 1, 1, 1},
        {1, 33, 5, 4, 2, 3, 2, 1, 1, 1},
    };

    @Test
    void handCheckedAverageIncludesPadding() {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) x[i] = i + 1; // 4x4: 1..16
        float[] y = new float[16];
        new d2l4j.kernels.reference.Pool().avgForward(new PoolGeometry(1, 1, 4, 4, 3, 3, 1, 1, 1, 1), x, 0, y, 0);
        // torch.nn.AvgPool2d(3, 1, 1)(torch.arange(1., 17.).view(1, 1, 4, 4))[0, 0, 0, :2] = [14/9, 24/9]
        assertArrayEquals(new float[] {(1 + 2 + 5 + 6) / 9f, (1 + 2 + 3 + 5 + 6 + 7) / 9f}, new float[] {y[0], y[1]});
        assertArrayEquals(new float[] {6f}, new float[] {y[5]}, 1e-6f); // interior: mean of 1,2,3,5,6,7,9,10,11
    }

    @Test
    void handCheckedMaxAndBackwardRouting() {
        float[] x = {1, 5, 5, 2, 0, 3, 4, 4, 9}; // 3x3
        float[] y = new float[4], dx = new float[9];
        // 2x2 windows, stride 1: overlapping; maxima 5 (first of the two 5s), 5, 4 (first 4), 9
        new d2l4j.kernels.reference.Pool().maxForward(new PoolGeometry(1, 1, 3, 3, 2, 2, 1, 1, 0, 0), x, 0, y, 0);
        assertArrayEquals(new float[] {5, 5, 4, 9}, y);
        new d2l4j.kernels.reference.Pool().maxBackward(new PoolGeometry(1, 1, 3, 3, 2, 2, 1, 1, 0, 0), x, 0, new float[] {1, 10, 100, 1000}, 0, dx, 0);
        // window (0,0) -> index 1; window (0,1) -> index 1 (5 at 1 comes before 5 at 2); (1,0) -> 6; (1,1) -> 8
        assertArrayEquals(new float[] {0, 11, 0, 0, 0, 0, 100, 0, 1000}, dx);
    }

    @Test
    void nanCountsAsMaximum() {
        float[] x = {1, Float.NaN, 7, 2}; // 2x2, one window
        for (boolean simd : new boolean[] {false, true}) {
            float[] y = new float[1], dx = new float[4];
            if (simd) {
                new d2l4j.kernels.simd.Pool().maxForward(new PoolGeometry(1, 1, 2, 2, 2, 2, 2, 2, 0, 0), x, 0, y, 0);
                new d2l4j.kernels.simd.Pool().maxBackward(new PoolGeometry(1, 1, 2, 2, 2, 2, 2, 2, 0, 0), x, 0, new float[] {3}, 0, dx, 0);
            } else {
                new d2l4j.kernels.reference.Pool().maxForward(new PoolGeometry(1, 1, 2, 2, 2, 2, 2, 2, 0, 0), x, 0, y, 0);
                new d2l4j.kernels.reference.Pool().maxBackward(new PoolGeometry(1, 1, 2, 2, 2, 2, 2, 2, 0, 0), x, 0, new float[] {3}, 0, dx, 0);
            }
            assertArrayEquals(new float[] {Float.NaN}, y);
            assertArrayEquals(new float[] {0, 3, 0, 0}, dx);
        }
    }

    @Test
    void simdMatchesReference() {
        long seed = 7;
        for (int[] t : CASES) {
            int n = t[0], c = t[1], h = t[2], w = t[3], r = t[4], s = t[5];
            int xLen = n * c * h * w, yLen = n * c * Window2d.outSize(h, r, t[6], t[8]) * Window2d.outSize(w, s, t[7], t[9]);
            String what = java.util.Arrays.toString(t);
            float[] x = TestData.uniform(seed++, 3 + xLen), dy = TestData.uniform(seed++, 2 + yLen);
            for (boolean max : new boolean[] {false, true}) {
                float[] yRef = TestData.uniform(seed, 5 + yLen), ySimd = yRef.clone();
                float[] dxRef = TestData.uniform(seed++, 1 + xLen), dxSimd = dxRef.clone(); // backward overwrites
                if (max) {
                    new d2l4j.kernels.reference.Pool().maxForward(new PoolGeometry(n, c, h, w, r, s, t[6], t[7], t[8], t[9]), x, 3, yRef, 5);
                    new d2l4j.kernels.simd.Pool().maxForward(new PoolGeometry(n, c, h, w, r, s, t[6], t[7], t[8], t[9]), x, 3, ySimd, 5);
                    TestData.assertSameBits("max forward " + what, yRef, ySimd);
                    new d2l4j.kernels.reference.Pool().maxBackward(new PoolGeometry(n, c, h, w, r, s, t[6], t[7], t[8], t[9]), x, 3, dy, 2, dxRef, 1);
                    new d2l4j.kernels.simd.Pool().maxBackward(new PoolGeometry(n, c, h, w, r, s, t[6], t[7], t[8], t[9]), x, 3, dy, 2, dxSimd, 1);
                    TestData.assertSameBits("max backward " + what, dxRef, dxSimd);
                } else {
                    new d2l4j.kernels.reference.Pool().avgForward(new PoolGeometry(n, c, h, w, r, s, t[6], t[7], t[8], t[9]), x, 3, yRef, 5);
                    new d2l4j.kernels.simd.Pool().avgForward(new PoolGeometry(n, c, h, w, r, s, t[6], t[7], t[8], t[9]), x, 3, ySimd, 5);
                    TestData.assertClose("avg forward " + what, yRef, ySimd, 1e-5, 1e-6);
                    new d2l4j.kernels.reference.Pool().avgBackward(new PoolGeometry(n, c, h, w, r, s, t[6], t[7], t[8], t[9]), dy, 2, dxRef, 1);
                    new d2l4j.kernels.simd.Pool().avgBackward(new PoolGeometry(n, c, h, w, r, s, t[6], t[7], t[8], t[9]), dy, 2, dxSimd, 1);
                    TestData.assertClose("avg backward " + what, dxRef, dxSimd, 1e-5, 1e-6);
                }
            }
        }
    }

    @Test
    void maxBackwardTiesAndNaNsMatchReference() {
        // values from {0, 1, 2} (ties in most windows) and a few NaNs, wide rows (the vector lanes), strides 1-3
        for (int st = 1; st <= 3; st++) {
            int n = 2, c = 2, h = 9, w = 77, r = 3, s = 3, pad = st == 2 ? 1 : 0;
            float[] u = TestData.uniform(40 + st, n * c * h * w), x = new float[u.length];
            for (int i = 0; i < x.length; i++) x[i] = i % 37 == 5 ? Float.NaN : (float) Math.floor(Math.abs(u[i]) * 3);
            float[] dy = TestData.uniform(50 + st, n * c * Window2d.outSize(h, r, st, pad) * Window2d.outSize(w, s, st, pad));
            float[] dxRef = new float[x.length], dxSimd = new float[x.length];
            new d2l4j.kernels.reference.Pool().maxBackward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), x, 0, dy, 0, dxRef, 0);
            new d2l4j.kernels.simd.Pool().maxBackward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), x, 0, dy, 0, dxSimd, 0);
            TestData.assertSameBits("max backward ties, stride " + st, dxRef, dxSimd);
        }
        // narrow planes (one lane per plane): 40 planes of 6×6, ties and NaNs, pooling as GoogLeNet's
        for (int st = 1; st <= 2; st++) {
            int n = 4, c = 10, h = 6, w = 6, r = 3, s = 3, pad = 1;
            float[] u = TestData.uniform(60 + st, n * c * h * w), x = new float[u.length];
            for (int i = 0; i < x.length; i++) x[i] = i % 23 == 4 ? Float.NaN : (float) Math.floor(Math.abs(u[i]) * 3);
            float[] dy = TestData.uniform(70 + st, n * c * Window2d.outSize(h, r, st, pad) * Window2d.outSize(w, s, st, pad));
            float[] dxRef = new float[x.length], dxSimd = new float[x.length];
            new d2l4j.kernels.reference.Pool().maxBackward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), x, 0, dy, 0, dxRef, 0);
            new d2l4j.kernels.simd.Pool().maxBackward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), x, 0, dy, 0, dxSimd, 0);
            TestData.assertSameBits("max backward ties, narrow planes, stride " + st, dxRef, dxSimd);
            float[] yRef = new float[dy.length], ySimd = new float[dy.length];
            new d2l4j.kernels.reference.Pool().maxForward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), x, 0, yRef, 0);
            new d2l4j.kernels.simd.Pool().maxForward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), x, 0, ySimd, 0);
            TestData.assertSameBits("max forward ties and NaNs, narrow planes, stride " + st, yRef, ySimd);
        }
    }

    @Test
    void averageBackwardIsTheAdjointOfForward() {
        // <avgpool(x), g> == <x, avgpoolBackward(g)> for overlapping, padded windows
        int n = 2, c = 3, h = 9, w = 11, r = 3, s = 3, st = 2, pad = 1;
        int yLen = n * c * Window2d.outSize(h, r, st, pad) * Window2d.outSize(w, s, st, pad);
        float[] x = TestData.uniform(1, n * c * h * w), g = TestData.uniform(2, yLen);
        for (boolean simd : new boolean[] {false, true}) {
            float[] y = new float[yLen], dx = new float[x.length];
            if (simd) {
                new d2l4j.kernels.simd.Pool().avgForward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), x, 0, y, 0);
                new d2l4j.kernels.simd.Pool().avgBackward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), g, 0, dx, 0);
            } else {
                new d2l4j.kernels.reference.Pool().avgForward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), x, 0, y, 0);
                new d2l4j.kernels.reference.Pool().avgBackward(new PoolGeometry(n, c, h, w, r, s, st, st, pad, pad), g, 0, dx, 0);
            }
            double lhs = 0, rhs = 0;
            for (int i = 0; i < yLen; i++) lhs += (double) y[i] * g[i];
            for (int i = 0; i < x.length; i++) rhs += (double) x[i] * dx[i];
            org.junit.jupiter.api.Assertions.assertEquals(lhs, rhs, 1e-4, "simd=" + simd);
        }
    }
}
