package d2l4j.kernels;

/**
 * The CPU kernels as instance methods, so callers pick an implementation once: {@link #best()}
 * gives the Vector API kernels when {@code jdk.incubator.vector} is present at run time and the
 * plain-Java reference loops otherwise. Every method has the contract of the static kernel of the
 * same name in {@code d2l4j.kernels.reference} (formulas and shapes are documented there);
 * {@code softmaxCrossEntropyForward/Backward} are {@code SoftmaxCrossEntropy.forward/backward}
 * and {@code sgdUpdate} is {@code Sgd.update}. Arrays are contiguous row-major with an offset,
 * inputs first, output last.
 */
public interface CpuKernels {

    /** "Vector API" or "reference". */
    String name();

    /** The fastest kernels this JVM can run (see the class comment); says once on stderr when falling back. */
    static CpuKernels best() {
        return Fallback.BEST;
    }

    /** Holds the choice, made once per JVM on first use. */
    final class Fallback {
        private Fallback() {}

        static final CpuKernels BEST = choose();

        private static CpuKernels choose() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) return new SimdKernels();
            System.err.println("d2l4j: jdk.incubator.vector not present, running the plain-Java reference kernels"
                    + " (add --add-modules jdk.incubator.vector for speed)");
            return new ReferenceKernels();
        }
    }

    // C = op(A)·op(B) + beta·C; op(A) m×k, op(B) k×n, C m×n
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

    // C (m×n) = op(A)·op(B) + beta·C with op(A) from prepareA; the same bits as the plain gemm
    default void gemm(Parallel par, PreparedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        PlainA p = (PlainA) a;
        gemm(par, p.transA(), transB, p.m(), n, p.k(), p.a(), p.aOff(), p.lda(), b, bOff, ldb, beta, c, cOff, ldc);
    }

    // col ((C·R·S)×(P·Q)) = unfold(x (C×H×W))
    void im2col(float[] x, int xOff, int c, int h, int w, int r, int s, int strideH, int strideW,
                int padH, int padW, float[] col, int colOff);

    // x += fold(col): the adjoint of im2col, accumulating
    void col2im(float[] col, int colOff, int c, int h, int w, int r, int s, int strideH, int strideW,
                int padH, int padW, float[] x, int xOff);

    // stride-1 convolution of n images without im2col (see reference.DirectConv):
    // y (n×K×P×Q) = weight (K×C×R×S) ⋆ x (n×C×H×W) + bias (nullable); OVERWRITES y
    void conv2dForward(float[] x, int xOff, int n, int c, int h, int w, float[] weight, float[] bias,
                       int k, int r, int s, int padH, int padW, float[] y, int yOff);

    // dx (n×C×H×W) = the adjoint of conv2dForward in x; needs padH < R and padW < S; OVERWRITES dx
    void conv2dBackwardData(float[] dy, int dyOff, int n, int c, int h, int w, float[] weight,
                            int k, int r, int s, int padH, int padW, float[] dx, int dxOff);

    // dW (K×C×R×S) = Σ over the n images of dy[n]·col(x[n])ᵀ, dBias (K, nullable) = Σ dy; OVERWRITES both
    void conv2dBackwardWeight(float[] x, int xOff, float[] dy, int dyOff, int n, int c, int h, int w,
                              int k, int r, int s, int padH, int padW, float[] dW, int dWOff, float[] dBias, int dBiasOff);

    void avgPool2dForward(float[] x, int xOff, int n, int c, int h, int w, int r, int s,
                          int strideH, int strideW, int padH, int padW, float[] y, int yOff);

    void avgPool2dBackward(float[] dy, int dyOff, int n, int c, int h, int w, int r, int s,
                           int strideH, int strideW, int padH, int padW, float[] dx, int dxOff);

    void maxPool2dForward(float[] x, int xOff, int n, int c, int h, int w, int r, int s,
                          int strideH, int strideW, int padH, int padW, float[] y, int yOff);

    void maxPool2dBackward(float[] x, int xOff, float[] dy, int dyOff, int n, int c, int h, int w, int r, int s,
                           int strideH, int strideW, int padH, int padW, float[] dx, int dxOff);

    void sigmoidForward(float[] x, int xOff, float[] y, int yOff, int len);

    void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len);

    void reluForward(float[] x, int xOff, float[] y, int yOff, int len);

    void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len);

    // writes prob (n×classes), returns the mean cross-entropy
    float softmaxCrossEntropyForward(float[] logits, int off, int n, int classes, int[] labels, float[] prob, int probOff);

    // dLogits = dLoss·(prob − onehot(label))/n
    void softmaxCrossEntropyBackward(float[] prob, int probOff, int n, int classes, int[] labels, float dLoss,
                                     float[] dLogits, int dOff);

    // w += (−lr)·g
    void sgdUpdate(float[] w, int wOff, float[] g, int gOff, int len, float lr);

    void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len);

    void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len);

    void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len);

    void addScalar(float[] y, int yOff, int len, float v);

    void scale(float[] y, int yOff, int len, float v);

    float sum(float[] x, int off, int len);
}
