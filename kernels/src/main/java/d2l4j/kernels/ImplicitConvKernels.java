package d2l4j.kernels;

import d2l4j.tensor.ConvGeometry;

/**
 * Stride-1 convolution of g.n images without an im2col matrix (an implicit GEMM: the product's operand is
 * read from the image where it lies), in its three directions. Implemented by
 * {@link d2l4j.kernels.reference.ImplicitConv} (the definition as loops) and {@link d2l4j.kernels.simd.ImplicitConv}.
 *
 * <p>Shapes, from {@code g} (stride 1): x n×C×H×W, weight K×C×R×S, bias K or null, y n×K×P×Q. Sums run over
 * (c, r, s) in order, as in im2col + gemm; x outside [0, H)×[0, W) is 0.
 */
public interface ImplicitConvKernels {

    // y[n,k,p,q] = Σ_{c,r,s} W[k,c,r,s] · x[n, c, p − padH + r, q − padW + s] + bias[k]. OVERWRITES y.
    void forward(ConvGeometry g, float[] x, int xOff, float[] weight, float[] bias, float[] y, int yOff);

    // dx[n,c,ih,iw] = Σ_{k,r,s} W[k,c,r,s] · dy[n, k, ih + padH − r, iw + padW − s]; needs padH < R and
    // padW < S. OVERWRITES dx.
    void backwardData(ConvGeometry g, float[] dy, int dyOff, float[] weight, float[] dx, int dxOff);

    // dW[k,c,r,s] = Σ_{n,p,q} dy[n,k,p,q] · x[n, c, p − padH + r, q − padW + s]; dBias[k] = Σ_{n,p,q} dy[n,k,p,q]
    // (nullable). OVERWRITES both.
    void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dW, int dWOff,
                        float[] dBias, int dBiasOff);
}
