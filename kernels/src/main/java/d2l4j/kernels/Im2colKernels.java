package d2l4j.kernels;

import d2l4j.tensor.ConvGeometry;

/**
 * Unfolding one image's patches into columns, so that a convolution becomes a matrix product, and its
 * adjoint. Implemented by {@link d2l4j.kernels.reference.Im2col} (the spec) and {@link d2l4j.kernels.simd.Im2col}.
 *
 * <p>For one image of {@code g} (g.n is not used): x C×H×W, col (C·R·S)×(P·Q); row (c, r, s) of col,
 * column (p, q), holds x[c, p·strideH − padH + r, q·strideW − padW + s], or 0 where that falls in the
 * padding (PyTorch's nn.Unfold, same layout).
 */
public interface Im2colKernels {

    // col[(c·R + r)·S + s][p·Q + q] = x[c][p·strideH − padH + r][q·strideW − padW + s]  (0 outside)
    void im2col(ConvGeometry g, float[] x, int xOff, float[] col, int colOff);

    // x += fold(col): each col entry added back to the x element it was copied from (<im2col(x), col> =
    // <x, col2im(col)>); ACCUMULATES into x, padding entries are dropped
    void col2im(ConvGeometry g, float[] col, int colOff, float[] x, int xOff);
}
