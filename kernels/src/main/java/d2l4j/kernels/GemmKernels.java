package d2l4j.kernels;

/**
 * General matrix multiply, BLAS's sgemm: {@code C = op(A)·op(B) + beta·C}. Implemented by
 * {@link d2l4j.kernels.reference.Gemm} (the spec) and {@link d2l4j.kernels.simd.Gemm} (BLIS-style packing).
 *
 * <p>Shapes: op(A) m×k, op(B) k×n, C m×n with leading dimension ldc (row-major). When {@code transA} A is
 * stored k×m (op(A) = Aᵀ), else m×k; lda is the row stride of A as stored; likewise B. {@code beta == 0}
 * ignores the old C (even NaN), as BLAS does. The arguments are BLAS's, in BLAS's order, so a reader who
 * knows sgemm knows these.
 */
public interface GemmKernels {

    // C = op(A)·op(B) + beta·C on the calling thread
    void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    // the same, C split statically over par's threads; bit-identical to the serial call
    void gemm(Parallel par, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    /** op(A) made ready once for several products with the same A (see {@link #prepareA}). */
    interface PreparedA {}

    /** The default preparation: the arguments, as they are. */
    record PlainA(boolean transA, int m, int k, float[] a, int aOff, int lda) implements PreparedA {}

    // op(A) (m×k) for several products with the same A, e.g. a convolution's weights image after image
    // (the Vector API kernels pack it once); A must not change while the result is in use
    default PreparedA prepareA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        return new PlainA(transA, m, k, a, aOff, lda);
    }

    // the same, reusing the memory of `reuse` (an earlier result of this method that is no longer in use, or null)
    // when it is large enough: a convolution packs its weights on every call, into the same array each time
    default PreparedA prepareA(boolean transA, int m, int k, float[] a, int aOff, int lda, PreparedA reuse) {
        return prepareA(transA, m, k, a, aOff, lda);
    }

    // C (m×n) = op(A)·op(B) + beta·C with op(A) from prepareA; the same bits as the plain gemm
    default void gemm(Parallel par, PreparedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        PlainA p = (PlainA) a;
        gemm(par, p.transA(), transB, p.m(), n, p.k(), p.a(), p.aOff(), p.lda(), b, bOff, ldb, beta, c, cOff, ldc);
    }
}
