package d2l4j.kernels.reference;

import d2l4j.kernels.ImplicitConvKernels;
import d2l4j.tensor.ConvGeometry;

/**
 * Stride-1 2-D convolution of a batch of images straight from its definition (no im2col), and its two
 * adjoints: the executable spec of {@link d2l4j.kernels.simd.ImplicitConv}.
 *
 * <p>Shapes: x n×C×H×W, weight K×C×R×S, bias K or null, y n×K×P×Q (sizes from the {@link ConvGeometry}; its
 * strides must be 1). Sums run over (c, r, s) in order, as in im2col + gemm; x outside
 * [0, H)×[0, W) is 0. See https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html.
 */
public final class ImplicitConv implements ImplicitConvKernels {

    // y[n,k,p,q] = Σ_{c,r,s} W[k,c,r,s] · x[n, c, p − padH + r, q − padW + s] + bias[k]. OVERWRITES y.
    @Override
    public void forward(ConvGeometry g, float[] x, int xOff, float[] weight, float[] bias, float[] y, int yOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), k = g.k(), r = g.r(), s = g.s(), padH = g.padH(), padW = g.padW();
        int p = g.p(), q = g.q();
        for (int ni = 0; ni < n; ni++)
            for (int ki = 0; ki < k; ki++)
                for (int pi = 0; pi < p; pi++)
                    for (int qi = 0; qi < q; qi++) {
                        float sum = 0f;
                        for (int ci = 0; ci < c; ci++)
                            for (int ri = 0; ri < r; ri++)
                                for (int si = 0; si < s; si++) {
                                    int ih = pi - padH + ri, iw = qi - padW + si;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    sum += weight[((ki * c + ci) * r + ri) * s + si] * x[xOff + ((ni * c + ci) * h + ih) * w + iw];
                                }
                        y[yOff + ((ni * k + ki) * p + pi) * q + qi] = bias == null ? sum : sum + bias[ki];
                    }
    }

    // y is linear in x; each x[ih, iw] meets W[k,c,r,s] at y[k, ih + padH − r, iw + padW − s]:
    // dx[n,c,ih,iw] = Σ_{k,r,s} W[k,c,r,s] · dy[n, k, ih + padH − r, iw + padW − s]. OVERWRITES dx.
    @Override
    public void backwardData(ConvGeometry g, float[] dy, int dyOff, float[] weight, float[] dx, int dxOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), k = g.k(), r = g.r(), s = g.s(), padH = g.padH(), padW = g.padW();
        int p = g.p(), q = g.q();
        for (int ni = 0; ni < n; ni++)
            for (int ci = 0; ci < c; ci++)
                for (int ih = 0; ih < h; ih++)
                    for (int iw = 0; iw < w; iw++) {
                        float sum = 0f;
                        for (int ki = 0; ki < k; ki++)
                            for (int ri = 0; ri < r; ri++)
                                for (int si = 0; si < s; si++) {
                                    int pi = ih + padH - ri, qi = iw + padW - si;
                                    if (pi < 0 || pi >= p || qi < 0 || qi >= q) continue;
                                    sum += weight[((ki * c + ci) * r + ri) * s + si] * dy[dyOff + ((ni * k + ki) * p + pi) * q + qi];
                                }
                        dx[dxOff + ((ni * c + ci) * h + ih) * w + iw] = sum;
                    }
    }

    // dW[k,c,r,s] = Σ_{n,p,q} dy[n,k,p,q] · x[n, c, p − padH + r, q − padW + s]; dBias[k] = Σ_{n,p,q} dy[n,k,p,q].
    // OVERWRITES dW and dBias (nullable).
    @Override
    public void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dW, int dWOff,
                               float[] dBias, int dBiasOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), k = g.k(), r = g.r(), s = g.s(), padH = g.padH(), padW = g.padW();
        int p = g.p(), q = g.q();
        for (int ki = 0; ki < k; ki++) {
            for (int ci = 0; ci < c; ci++)
                for (int ri = 0; ri < r; ri++)
                    for (int si = 0; si < s; si++) {
                        float sum = 0f;
                        for (int ni = 0; ni < n; ni++)
                            for (int pi = 0; pi < p; pi++)
                                for (int qi = 0; qi < q; qi++) {
                                    int ih = pi - padH + ri, iw = qi - padW + si;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    sum += dy[dyOff + ((ni * k + ki) * p + pi) * q + qi] * x[xOff + ((ni * c + ci) * h + ih) * w + iw];
                                }
                        dW[dWOff + ((ki * c + ci) * r + ri) * s + si] = sum;
                    }
            if (dBias != null) {
                float sum = 0f;
                for (int i = 0; i < n * p * q; i++) sum += dy[dyOff + (i / (p * q) * k + ki) * p * q + i % (p * q)];
                dBias[dBiasOff + ki] = sum;
            }
        }
    }
}
