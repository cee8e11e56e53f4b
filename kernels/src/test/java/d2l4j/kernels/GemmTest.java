package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Gemm: the reference against a triple loop in double, the simd version against the same, on
 * awkward shapes, all four transposes, beta 0 / 1 / 0.5, offsets and padded leading dimensions.
 * Tolerance: |got − exact| ≤ 1e-5·√k·(Σ_p |op(A)[i,p]·op(B)[p,j]| + |beta·C[i,j]|) + 1e-30, i.e.
 * relative to the sum of magnitudes (robust to cancellation), growing like the rounding error of a
 * k-term float sum.
 */
class GemmTest {
    interface GemmFn {
        void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                  float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);
    }

    static final GemmFn REFERENCE = new d2l4j.kernels.reference.Gemm()::gemm;
    static final GemmFn SIMD = new d2l4j.kernels.simd.Gemm()::gemm;

    /** One random problem with offsets and leading dimensions larger than needed. */
    record Problem(boolean ta, boolean tb, int m, int n, int k, float beta, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        static Problem random(long seed, boolean ta, boolean tb, int m, int n, int k, float beta, int pad) {
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad, aOff = pad * 3, bOff = pad * 5, cOff = pad * 7;
            float[] a = TestData.uniform(seed, aOff + Math.max(1, aRows * lda));
            float[] b = TestData.uniform(seed + 1, bOff + Math.max(1, bRows * ldb));
            float[] c = TestData.uniform(seed + 2, cOff + m * ldc);
            return new Problem(ta, tb, m, n, k, beta, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        float opA(int i, int p) { return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p]; }
        float opB(int p, int j) { return tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]; }

        float[] run(GemmFn f) {
            float[] out = c.clone();
            f.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        float[] runParallel(boolean simd, Parallel par) {
            float[] out = c.clone();
            if (simd) new d2l4j.kernels.simd.Gemm().gemm(par, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            else new d2l4j.kernels.reference.Gemm().gemm(par, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        /** Checks got against the double-precision product; elements outside C's m×n block must be untouched. */
        void check(String what, float[] got) {
            for (int idx = 0; idx < c.length; idx++) {
                int rel = idx - cOff, i = Math.floorDiv(rel, ldc), j = Math.floorMod(rel, ldc);
                boolean inC = rel >= 0 && i < m && j < n;
                if (!inC) {
                    if (Float.floatToIntBits(got[idx]) != Float.floatToIntBits(c[idx])) {
                        fail(what + ": wrote outside C at " + idx);
                    }
                    continue;
                }
                double exact = beta == 0f ? 0 : (double) beta * c[idx], mag = Math.abs(exact);
                for (int p = 0; p < k; p++) {
                    double t = (double) opA(i, p) * opB(p, j);
                    exact += t;
                    mag += Math.abs(t);
                }
                double tol = 1e-5 * Math.sqrt(Math.max(k, 1)) * mag + 1e-30;
                if (!(Math.abs(got[idx] - exact) <= tol)) {
                    fail(what + ": C[" + i + "," + j + "] expected " + exact + " got " + got[idx] + " tol " + tol);
                }
            }
        }

        @Override
        public String toString() {
            return "gemm(ta=" + ta + ", tb=" + tb + ", m=" + m + ", n=" + n + ", k=" + k + ", beta=" + beta
                    + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ")";
        }
    }

    static final int[][] SHAPES = {
        {1, 1, 1}, {3, 7, 17}, {7, 3, 1}, {17, 33, 7}, {33, 17, 33}, {1, 64, 5}, {64, 1, 5},
        {8, 32, 16}, {9, 33, 385}, {100, 70, 30}, {130, 31, 3}, {5, 2100, 6}, {3, 5, 800},
    };

    @Test
    void referenceAndSimdMatchDoublePrecisionProduct() {
        long seed = 1;
        for (int[] shape : SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                float beta = switch ((int) (seed % 3)) { case 0 -> 0f; case 1 -> 1f; default -> 0.5f; };
                Problem pr = Problem.random(seed++, ta, tb, shape[0], shape[1], shape[2], beta, (int) (seed % 3));
                pr.check("reference " + pr, pr.run(REFERENCE));
                pr.check("simd " + pr, pr.run(SIMD));
            }
        }
    }

    @Test
    void simdMatchesReferenceOnLargerSquareProblems() {
        for (int size : new int[] {97, 200}) {
            for (int t = 0; t < 4; t++) {
                Problem pr = Problem.random(size + t, (t & 1) != 0, (t & 2) != 0, size, size + 3, size - 5, 1f, 2);
                pr.check("simd " + pr, pr.run(SIMD));
            }
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        for (GemmFn f : new GemmFn[] {REFERENCE, SIMD}) {
            for (int k : new int[] {0, 5}) {
                float[] c = new float[7 * 9];
                Arrays.fill(c, Float.NaN);
                float[] a = TestData.uniform(3, 7 * 5), b = TestData.uniform(4, 5 * 9);
                f.gemm(false, false, 7, 9, k, a, 0, 5, b, 0, 9, 0f, c, 0, 9);
                for (float v : c) assertTrue(Float.isFinite(v), "beta 0 must overwrite NaN, k=" + k);
            }
        }
    }

    @Test
    void kZeroScalesC() {
        for (GemmFn f : new GemmFn[] {REFERENCE, SIMD}) {
            float[] c = {1, 2, 3, 4};
            f.gemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, 0.5f, c, 0, 2);
            assertEquals("[0.5, 1.0, 1.5, 2.0]", Arrays.toString(c));
        }
    }

    @Test
    void parallelIsBitIdenticalForAnyThreadCount() {
        // wide (split by columns), tall (split by rows), and a k spanning several k blocks
        int[][] shapes = {{37, 300, 70}, {300, 37, 70}, {65, 66, 900}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                Problem pr = Problem.random(s[0] + t, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1f, 1);
                float[] serialSimd = pr.run(SIMD), serialRef = pr.run(REFERENCE);
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel par = Parallel.of(threads);
                    TestData.assertSameBits("simd " + threads + " threads " + pr, serialSimd, pr.runParallel(true, par));
                    TestData.assertSameBits("reference " + threads + " threads " + pr, serialRef, pr.runParallel(false, par));
                }
            }
        }
    }
}
