package d2l4j.kernels.reference;

import d2l4j.kernels.Im2colKernels;
import d2l4j.tensor.ConvGeometry;

/**
 * Unfolds the patches of one image into columns so that convolution becomes a matrix product.
 *
 * <p>x is C×H×W; col is (C·R·S)×(P·Q), P and Q from the {@link ConvGeometry}. Row (c, r, s) of col, column (p, q), holds
 * x[c, p·strideH − padH + r, q·strideW − padW + s], or 0 where that falls in the padding.
 * See https://pytorch.org/docs/stable/generated/torch.nn.Unfold.html (same layout).
 */
public final class Im2col implements Im2colKernels {

    // col[(c·R + r)·S + s][p·Q + q] = x[c][p·strideH − padH + r][q·strideW − padW + s]  (0 outside)
    @Override
    public void im2col(ConvGeometry g, float[] x, int xOff, float[] col, int colOff) {
        int c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s(), p = g.p(), q = g.q();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW();
        for (int ci = 0; ci < c; ci++) {
            for (int ri = 0; ri < r; ri++) {
                for (int si = 0; si < s; si++) {
                    int row = colOff + ((ci * r + ri) * s + si) * p * q;
                    for (int pi = 0; pi < p; pi++) {
                        int ih = pi * strideH - padH + ri;
                        for (int qi = 0; qi < q; qi++) {
                            int iw = qi * strideW - padW + si;
                            boolean inside = ih >= 0 && ih < h && iw >= 0 && iw < w;
                            col[row + pi * q + qi] = inside ? x[xOff + (ci * h + ih) * w + iw] : 0f;
                        }
                    }
                }
            }
        }
    }

    // The adjoint of im2col: each col entry is added back to the x element it was copied from
    // (<im2col(x), col> = <x, col2im(col)>). ACCUMULATES into x (+=); padding entries are dropped.
    @Override
    public void col2im(ConvGeometry g, float[] col, int colOff, float[] x, int xOff) {
        int c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s(), p = g.p(), q = g.q();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW();
        for (int ci = 0; ci < c; ci++) {
            for (int ri = 0; ri < r; ri++) {
                for (int si = 0; si < s; si++) {
                    int row = colOff + ((ci * r + ri) * s + si) * p * q;
                    for (int pi = 0; pi < p; pi++) {
                        int ih = pi * strideH - padH + ri;
                        if (ih < 0 || ih >= h) continue;
                        for (int qi = 0; qi < q; qi++) {
                            int iw = qi * strideW - padW + si;
                            if (iw >= 0 && iw < w) x[xOff + (ci * h + ih) * w + iw] += col[row + pi * q + qi];
                        }
                    }
                }
            }
        }
    }
}
