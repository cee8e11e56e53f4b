package d2l4j.kernels.reference;

/**
 * Unfolds the patches of one image into columns so that convolution becomes a matrix product.
 *
 * <p>x is C×H×W; col is (C·R·S)×(P·Q) with P = (H + 2·padH − R)/strideH + 1 and
 * Q = (W + 2·padW − S)/strideW + 1. Row (c, r, s) of col, column (p, q), holds
 * x[c, p·strideH − padH + r, q·strideW − padW + s], or 0 where that falls in the padding.
 * See https://pytorch.org/docs/stable/generated/torch.nn.Unfold.html (same layout).
 */
public final class Im2col {
    private Im2col() {}

    public static int outSize(int in, int kernel, int stride, int pad) {
        return (in + 2 * pad - kernel) / stride + 1;
    }

    // col[(c·R + r)·S + s][p·Q + q] = x[c][p·strideH − padH + r][q·strideW − padW + s]  (0 outside)
    public static void im2col(float[] x, int xOff, int c, int h, int w, int r, int s,
                              int strideH, int strideW, int padH, int padW, float[] col, int colOff) {
        int p = outSize(h, r, strideH, padH), q = outSize(w, s, strideW, padW);
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
    public static void col2im(float[] col, int colOff, int c, int h, int w, int r, int s,
                              int strideH, int strideW, int padH, int padW, float[] x, int xOff) {
        int p = outSize(h, r, strideH, padH), q = outSize(w, s, strideW, padW);
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
