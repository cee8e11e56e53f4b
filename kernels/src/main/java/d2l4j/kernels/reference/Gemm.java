package d2l4j.kernels.reference;

import d2l4j.kernels.Parallel;

/**
 * General matrix multiply, the executable spec: {@code C = op(A)·op(B) + beta·C}.
 *
 * <p>Shapes: op(A) is m×k, op(B) is k×n, C is m×n with leading dimension ldc (row-major). When
 * {@code transA} A is stored k×m (op(A) = Aᵀ), else m×k; lda is the row stride of A as stored.
 * Likewise B is stored n×k when {@code transB}, else k×n. {@code beta == 0} ignores the old C
 * (even NaN), as BLAS does. Each dot product is accumulated in float in order p = 0..k-1.
 * Only C is modified.
 */
public final class Gemm implements d2l4j.kernels.GemmKernels {

    // C[i][j] = sum_p opA(i, p) * opB(p, j) + beta * C[i][j]
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += aip * bpj;
                }
                int ij = cOff + i * ldc + j;
                c[ij] = beta == 0f ? sum : sum + beta * c[ij];
            }
        }
    }

    /**
     * The same product with the rows of C split statically over {@code par}'s threads; each C
     * element is computed by one thread exactly as above, so results equal the serial call.
     */
    @Override
    public void gemm(Parallel par, boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        int parts = Math.max(1, Math.min(par.threads(), m));
        par.run(parts, part -> {
            int i0 = Parallel.chunkStart(m, parts, part), i1 = Parallel.chunkStart(m, parts, part + 1);
            // row i of op(A) starts at column i of A when transposed, at row i otherwise
            int aRow = transA ? aOff + i0 : aOff + i0 * lda;
            gemm(transA, transB, i1 - i0, n, k, a, aRow, lda, b, bOff, ldb, beta, c, cOff + i0 * ldc, ldc);
        });
    }
}
