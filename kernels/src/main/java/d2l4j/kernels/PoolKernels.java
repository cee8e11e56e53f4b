package d2l4j.kernels;

import d2l4j.tensor.PoolGeometry;

/**
 * 2-D average and max pooling over g.n images, x n×C×H×W → y n×C×P×Q (PyTorch's AvgPool2d with
 * count_include_pad and MaxPool2d, ceil_mode off). Implemented by {@link d2l4j.kernels.reference.Pool}
 * (the spec) and {@link d2l4j.kernels.simd.Pool}.
 */
public interface PoolKernels {

    // y[n,c,p,q] = (1/(R·S)) · Σ_{r,s} x[n,c,p·sH−pH+r, q·sW−pW+s]; padding counts as 0 in the sum and the divisor
    void avgForward(PoolGeometry g, float[] x, int xOff, float[] y, int yOff);

    // dx[n,c,ih,iw] = Σ over the windows (p,q) covering (ih,iw) of dy[n,c,p,q] / (R·S). OVERWRITES dx.
    void avgBackward(PoolGeometry g, float[] dy, int dyOff, float[] dx, int dxOff);

    // y[n,c,p,q] = max_{r,s} x[n,c,p·sH−pH+r, q·sW−pW+s]; padding acts as −inf; the first maximum wins, NaN always
    void maxForward(PoolGeometry g, float[] x, int xOff, float[] y, int yOff);

    // dx[argmax of window (p,q)] += dy[p,q], the argmax recomputed from x as maxForward finds it. OVERWRITES dx.
    void maxBackward(PoolGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff);
}
