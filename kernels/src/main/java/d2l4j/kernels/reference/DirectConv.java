package d2l4j.kernels.reference;

/**
 * Stride-1 2-D convolution of a batch of images straight from its definition (no im2col), and its two
 * adjoints: the executable spec of {@link d2l4j.kernels.simd.DirectConv}.
 *
 * <p>Shapes: x n×C×H×W, weight K×C×R×S, bias K or null, y n×K×P×Q with P = H + 2·padH − R + 1 and
 * Q = W + 2·padW − S + 1 (stride 1). Sums run over (c, r, s) in order, as in im2col + gemm; x outside
 * [0, H)×[0, W) is 0. See https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html.
 */
public final class DirectConv {
    private DirectConv() {}

    // y[n,k,p,q] = Σ_{c,r,s} W[k,c,r,s] · x[n, c, p − padH + r, q − padW + s] + bias[k]. OVERWRITES y.
    public static void forward(float[] x, int xOff, int n, int c, int h, int w, float[] weight, float[] bias,
                               int k, int r, int s, int padH, int padW, float[] y, int yOff) {
        int p = h + 2 * padH - r + 1, q = w + 2 * padW - s + 1;
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
    public static void backwardData(float[] dy, int dyOff, int n, int c, int h, int w, float[] weight,
                                    int k, int r, int s, int padH, int padW, float[] dx, int dxOff) {
        int p = h + 2 * padH - r + 1, q = w + 2 * padW - s + 1;
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
    public static void backwardWeight(float[] x, int xOff, float[] dy, int dyOff, int n, int c, int h, int w,
                                      int k, int r, int s, int padH, int padW,
                                      float[] dW, int dWOff, float[] dBias, int dBiasOff) {
        int p = h + 2 * padH - r + 1, q = w + 2 * padW - s + 1;
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
