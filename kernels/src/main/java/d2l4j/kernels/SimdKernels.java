package d2l4j.kernels;

import d2l4j.kernels.simd.Activations;
import d2l4j.kernels.simd.DirectConv;
import d2l4j.kernels.simd.Elementwise;
import d2l4j.kernels.simd.Gemm;
import d2l4j.kernels.simd.Im2col;
import d2l4j.kernels.simd.Pool;
import d2l4j.kernels.simd.Reduce;
import d2l4j.kernels.simd.Sgd;
import d2l4j.kernels.simd.SoftmaxCrossEntropy;

/** The Vector API kernels ({@code d2l4j.kernels.simd}); the only class outside that package that names them. */
public final class SimdKernels implements CpuKernels {
    @Override
    public String name() {
        return "Vector API";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Gemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemm(Parallel par, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Gemm.gemm(par, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public PreparedA prepareA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        return Gemm.pack(transA, m, k, a, aOff, lda);
    }

    @Override
    public void gemm(Parallel par, PreparedA a, boolean transB, int n, float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc) {
        Gemm.gemm(par, (Gemm.PackedA) a, transB, n, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void im2col(float[] x, int xOff, int c, int h, int w, int r, int s, int strideH, int strideW,
            int padH, int padW, float[] col, int colOff) {
        Im2col.im2col(x, xOff, c, h, w, r, s, strideH, strideW, padH, padW, col, colOff);
    }

    @Override
    public void col2im(float[] col, int colOff, int c, int h, int w, int r, int s, int strideH, int strideW,
            int padH, int padW, float[] x, int xOff) {
        Im2col.col2im(col, colOff, c, h, w, r, s, strideH, strideW, padH, padW, x, xOff);
    }

    @Override
    public void conv2dForward(float[] x, int xOff, int n, int c, int h, int w, float[] weight, float[] bias,
            int k, int r, int s, int padH, int padW, float[] y, int yOff) {
        DirectConv.forward(x, xOff, n, c, h, w, weight, bias, k, r, s, padH, padW, y, yOff);
    }

    @Override
    public void conv2dBackwardData(float[] dy, int dyOff, int n, int c, int h, int w, float[] weight,
            int k, int r, int s, int padH, int padW, float[] dx, int dxOff) {
        DirectConv.backwardData(dy, dyOff, n, c, h, w, weight, k, r, s, padH, padW, dx, dxOff);
    }

    @Override
    public void conv2dBackwardWeight(float[] x, int xOff, float[] dy, int dyOff, int n, int c, int h, int w,
            int k, int r, int s, int padH, int padW, float[] dW, int dWOff, float[] dBias, int dBiasOff) {
        DirectConv.backwardWeight(x, xOff, dy, dyOff, n, c, h, w, k, r, s, padH, padW, dW, dWOff, dBias, dBiasOff);
    }

    @Override
    public void avgPool2dForward(float[] x, int xOff, int n, int c, int h, int w, int r, int s, int strideH,
            int strideW, int padH, int padW, float[] y, int yOff) {
        Pool.avgPool2dForward(x, xOff, n, c, h, w, r, s, strideH, strideW, padH, padW, y, yOff);
    }

    @Override
    public void avgPool2dBackward(float[] dy, int dyOff, int n, int c, int h, int w, int r, int s,
            int strideH, int strideW, int padH, int padW, float[] dx, int dxOff) {
        Pool.avgPool2dBackward(dy, dyOff, n, c, h, w, r, s, strideH, strideW, padH, padW, dx, dxOff);
    }

    @Override
    public void maxPool2dForward(float[] x, int xOff, int n, int c, int h, int w, int r, int s, int strideH,
            int strideW, int padH, int padW, float[] y, int yOff) {
        Pool.maxPool2dForward(x, xOff, n, c, h, w, r, s, strideH, strideW, padH, padW, y, yOff);
    }

    @Override
    public void maxPool2dBackward(float[] x, int xOff, float[] dy, int dyOff, int n, int c, int h, int w,
            int r, int s, int strideH, int strideW, int padH, int padW, float[] dx, int dxOff) {
        Pool.maxPool2dBackward(x, xOff, dy, dyOff, n, c, h, w, r, s, strideH, strideW, padH, padW, dx, dxOff);
    }

    @Override
    public void sigmoidForward(float[] x, int xOff, float[] y, int yOff, int len) {
        Activations.sigmoidForward(x, xOff, y, yOff, len);
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        Activations.sigmoidBackward(y, yOff, dy, dyOff, dx, dxOff, len);
    }

    @Override
    public void reluForward(float[] x, int xOff, float[] y, int yOff, int len) {
        Activations.reluForward(x, xOff, y, yOff, len);
    }

    @Override
    public void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        Activations.reluBackward(x, xOff, dy, dyOff, dx, dxOff, len);
    }

    @Override
    public float softmaxCrossEntropyForward(float[] logits, int off, int n, int classes, int[] labels,
            float[] prob, int probOff) {
        return SoftmaxCrossEntropy.forward(logits, off, n, classes, labels, prob, probOff);
    }

    @Override
    public void softmaxCrossEntropyBackward(float[] prob, int probOff, int n, int classes, int[] labels,
            float dLoss, float[] dLogits, int dOff) {
        SoftmaxCrossEntropy.backward(prob, probOff, n, classes, labels, dLoss, dLogits, dOff);
    }

    @Override
    public void sgdUpdate(float[] w, int wOff, float[] g, int gOff, int len, float lr) {
        Sgd.update(w, wOff, g, gOff, len, lr);
    }

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        Elementwise.add(a, aOff, b, bOff, y, yOff, len);
    }

    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        Elementwise.sub(a, aOff, b, bOff, y, yOff, len);
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        Elementwise.mul(a, aOff, b, bOff, y, yOff, len);
    }

    @Override
    public void addScalar(float[] y, int yOff, int len, float v) {
        Elementwise.addScalar(y, yOff, len, v);
    }

    @Override
    public void scale(float[] y, int yOff, int len, float v) {
        Elementwise.scale(y, yOff, len, v);
    }

    @Override
    public float sum(float[] x, int off, int len) {
        return Reduce.sum(x, off, len);
    }
}
