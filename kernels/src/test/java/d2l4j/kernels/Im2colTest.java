package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import d2l4j.tensor.ConvGeometry;
import d2l4j.tensor.Window2d;
import org.junit.jupiter.api.Test;

/**
 * im2col/col2im: a hand-checked example; col2im as the adjoint of im2col
 * (&lt;im2col(x), c&gt; = &lt;x, col2im(c)&gt;, compared in double with relative tolerance 1e-5 of
 * Σ|terms|); simd against reference bit for bit (im2col copies; col2im adds each x element's
 * contributions in the same order), with nonzero offsets.
 */
class Im2colTest {
    // {c, h, w, r, s, strideH, strideW, padH, padW}
    static final int[][] CASES = {
        {1, 1, 1, 1, 1, 1, 1, 0, 0}, {3, 5, 7, 1, 1, 1, 1, 0, 0}, {2, 7, 7, 3, 3, 1, 1, 1, 1},
        {3, 17, 33, 5, 5, 1, 1, 2, 2}, {2, 9, 8, 3, 3, 2, 2, 1, 1}, {1, 33, 17, 3, 2, 2, 3, 0, 1},
        {4, 6, 6, 2, 2, 2, 2, 0, 0}, {2, 3, 3, 3, 3, 1, 1, 2, 2}, {1, 1, 40, 1, 3, 1, 1, 0, 1},
        {3, 11, 13, 11, 11, 4, 4, 2, 2}, {2, 5, 5, 5, 5, 1, 1, 0, 0},
        // kernels wider than the input plus one side's padding: whole kernel columns (rows) in the padding
        {2, 5, 1, 5, 5, 1, 1, 2, 2}, {1, 1, 1, 7, 7, 1, 1, 3, 3}, {2, 2, 2, 7, 7, 1, 1, 3, 3}, {1, 1, 3, 3, 5, 2, 1, 2, 2},
    };

    @Test
    void handCheckedPaddedExample() {
        // x = [[1,2],[3,4]], 2x2 kernel, pad 1, stride 1 -> P = Q = 3; row (r=0, s=0) sees x shifted by (−1, −1)
        float[] x = {1, 2, 3, 4};
        float[] col = new float[4 * 9];
        new d2l4j.kernels.reference.Im2col().im2col(new ConvGeometry(1, 1, 2, 2, 1, 2, 2, 1, 1, 1, 1), x, 0, col, 0);
        float[] row00 = java.util.Arrays.copyOfRange(col, 0, 9);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 3, 4}, row00);
        float[] row11 = java.util.Arrays.copyOfRange(col, 27, 36);
        assertArrayEquals(new float[] {1, 2, 0, 3, 4, 0, 0, 0, 0}, row11);
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        long seed = 10;
        for (int[] t : CASES) {
            int c = t[0], h = t[1], w = t[2], r = t[3], s = t[4];
            int rows = c * r * s, cols = Window2d.outSize(h, r, t[5], t[7]) * Window2d.outSize(w, s, t[6], t[8]);
            for (boolean simd : new boolean[] {false, true}) {
                float[] x = TestData.uniform(seed++, c * h * w), cc = TestData.uniform(seed++, rows * cols);
                float[] col = new float[rows * cols], back = new float[c * h * w];
                if (simd) {
                    new d2l4j.kernels.simd.Im2col().im2col(new ConvGeometry(1, c, h, w, 1, r, s, t[5], t[6], t[7], t[8]), x, 0, col, 0);
                    new d2l4j.kernels.simd.Im2col().col2im(new ConvGeometry(1, c, h, w, 1, r, s, t[5], t[6], t[7], t[8]), cc, 0, back, 0);
                } else {
                    new d2l4j.kernels.reference.Im2col().im2col(new ConvGeometry(1, c, h, w, 1, r, s, t[5], t[6], t[7], t[8]), x, 0, col, 0);
                    new d2l4j.kernels.reference.Im2col().col2im(new ConvGeometry(1, c, h, w, 1, r, s, t[5], t[6], t[7], t[8]), cc, 0, back, 0);
                }
                double lhs = 0, rhs = 0, mag = 0;
                for (int i = 0; i < col.length; i++) {
                    lhs += (double) col[i] * cc[i];
                    mag += Math.abs((double) col[i] * cc[i]);
                }
                for (int i = 0; i < x.length; i++) rhs += (double) x[i] * back[i];
                assertEquals(lhs, rhs, 1e-5 * mag + 1e-12, "adjoint, simd=" + simd + " " + java.util.Arrays.toString(t));
            }
        }
    }

    @Test
    void simdMatchesReferenceBitForBitWithOffsets() {
        long seed = 100;
        for (int[] t : CASES) {
            int c = t[0], h = t[1], w = t[2], r = t[3], s = t[4];
            int size = c * r * s * Window2d.outSize(h, r, t[5], t[7]) * Window2d.outSize(w, s, t[6], t[8]);
            float[] x = TestData.uniform(seed++, 3 + c * h * w);
            float[] colRef = TestData.uniform(seed, 5 + size), colSimd = colRef.clone();
            new d2l4j.kernels.reference.Im2col().im2col(new ConvGeometry(1, c, h, w, 1, r, s, t[5], t[6], t[7], t[8]), x, 3, colRef, 5);
            new d2l4j.kernels.simd.Im2col().im2col(new ConvGeometry(1, c, h, w, 1, r, s, t[5], t[6], t[7], t[8]), x, 3, colSimd, 5);
            TestData.assertSameBits("im2col " + java.util.Arrays.toString(t), colRef, colSimd);

            float[] xRef = TestData.uniform(seed++, 2 + c * h * w), xSimd = xRef.clone(); // col2im accumulates
            new d2l4j.kernels.reference.Im2col().col2im(new ConvGeometry(1, c, h, w, 1, r, s, t[5], t[6], t[7], t[8]), colRef, 5, xRef, 2);
            new d2l4j.kernels.simd.Im2col().col2im(new ConvGeometry(1, c, h, w, 1, r, s, t[5], t[6], t[7], t[8]), colRef, 5, xSimd, 2);
            TestData.assertSameBits("col2im " + java.util.Arrays.toString(t), xRef, xSimd);
        }
    }
}
