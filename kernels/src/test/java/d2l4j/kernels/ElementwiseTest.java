package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * add/sub/mul/addScalar/scale and the SGD step: simd bit for bit equal to the reference (one IEEE
 * operation per element, the same rounding); sum: both against a double sum within
 * 1e-6·√len·Σ|x| (different but fixed orders), and deterministic.
 */
class ElementwiseTest {
    static final int[] LENGTHS = {0, 1, 3, 7, 16, 17, 33, 1000};

    @Test
    void simdMatchesReferenceBitForBit() {
        CpuKernels ref = CpuKernels.reference(), simd = CpuKernels.vector();
        long seed = 3;
        for (int len : LENGTHS) {
            float[] a = TestData.uniform(seed++, len + 2), b = TestData.uniform(seed++, len + 3);
            for (int op = 0; op < 6; op++) {
                float[] yRef = TestData.uniform(seed, len + 1), ySimd = yRef.clone();
                for (CpuKernels k : new CpuKernels[] {ref, simd}) {
                    float[] y = k == ref ? yRef : ySimd;
                    switch (op) {
                        case 0 -> k.elementwise().add(a, 2, b, 3, y, 1, len);
                        case 1 -> k.elementwise().sub(a, 2, b, 3, y, 1, len);
                        case 2 -> k.elementwise().mul(a, 2, b, 3, y, 1, len);
                        case 3 -> k.elementwise().addScalar(y, 1, len, 0.37f);
                        case 4 -> k.elementwise().scale(y, 1, len, -1.3f);
                        default -> k.elementwise().sgdUpdate(y, 1, b, 3, len, 0.1f);
                    }
                }
                TestData.assertSameBits("op " + op + " len " + len, yRef, ySimd);
            }
        }
    }

    @Test
    void sgdRoundsOnceAsAFusedMultiplyAdd() {
        float w = 0.3f, g = 0.7f, lr = 0.1f;
        float[] wRef = {w}, wSimd = {w};
        CpuKernels.reference().elementwise().sgdUpdate(wRef, 0, new float[] {g}, 0, 1, lr);
        CpuKernels.vector().elementwise().sgdUpdate(wSimd, 0, new float[] {g}, 0, 1, lr);
        float expected = Math.fma(-lr, g, w);
        assertEquals(expected, wRef[0], 0f);
        assertEquals(expected, wSimd[0], 0f);
    }

    @Test
    void sumMatchesDoubleSum() {
        for (int len : LENGTHS) {
            float[] x = TestData.uniform(len, len + 4);
            double exact = 0, mag = 0;
            for (int i = 0; i < len; i++) {
                exact += x[4 + i];
                mag += Math.abs(x[4 + i]);
            }
            double tol = 1e-6 * Math.sqrt(Math.max(1, len)) * mag + 1e-30;
            float ref = new d2l4j.kernels.reference.Elementwise().sum(x, 4, len), simd = new d2l4j.kernels.simd.Elementwise().sum(x, 4, len);
            assertEquals(exact, ref, tol, "reference len " + len);
            assertEquals(exact, simd, tol, "simd len " + len);
            assertEquals(simd, new d2l4j.kernels.simd.Elementwise().sum(x, 4, len), 0f, "deterministic");
        }
    }
}
