package d2l4j.kernels.reference;

import d2l4j.kernels.PoolKernels;
import d2l4j.tensor.PoolGeometry;
import java.util.Arrays;

/**
 * 2-D average and max pooling over N×C×H×W, output N×C×P×Q (sizes from the {@link PoolGeometry}; PyTorch's
 * ceil_mode=False). Windows may overlap.
 * See https://pytorch.org/docs/stable/generated/torch.nn.AvgPool2d.html and MaxPool2d.html.
 */
public final class Pool implements PoolKernels {

    // y[n,c,p,q] = (1/(R·S)) · Σ_{r,s} x[n,c,p·sH−pH+r, q·sW−pW+s]; padding counts as 0 in the sum
    // and in the divisor (count_include_pad=True).
    @Override
    public void avgForward(PoolGeometry g, float[] x, int xOff, float[] y, int yOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW(), p = g.p(), q = g.q();
        float divisor = r * s;
        for (int plane = 0; plane < n * c; plane++) {
            int xp = xOff + plane * h * w, yp = yOff + plane * p * q;
            for (int pi = 0; pi < p; pi++) {
                for (int qi = 0; qi < q; qi++) {
                    float sum = 0f;
                    for (int ri = 0; ri < r; ri++) {
                        int ih = pi * strideH - padH + ri;
                        if (ih < 0 || ih >= h) continue;
                        for (int si = 0; si < s; si++) {
                            int iw = qi * strideW - padW + si;
                            if (iw >= 0 && iw < w) sum += x[xp + ih * w + iw];
                        }
                    }
                    y[yp + pi * q + qi] = sum / divisor;
                }
            }
        }
    }

    // dL/dx[n,c,ih,iw] = Σ over windows (p,q) covering (ih,iw) of dy[n,c,p,q] / (R·S).
    // OVERWRITES dx.
    @Override
    public void avgBackward(PoolGeometry g, float[] dy, int dyOff, float[] dx, int dxOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW(), p = g.p(), q = g.q();
        float divisor = r * s;
        Arrays.fill(dx, dxOff, dxOff + n * c * h * w, 0f);
        for (int plane = 0; plane < n * c; plane++) {
            int xp = dxOff + plane * h * w, yp = dyOff + plane * p * q;
            for (int pi = 0; pi < p; pi++) {
                for (int qi = 0; qi < q; qi++) {
                    float share = dy[yp + pi * q + qi] / divisor;
                    for (int ri = 0; ri < r; ri++) {
                        int ih = pi * strideH - padH + ri;
                        if (ih < 0 || ih >= h) continue;
                        for (int si = 0; si < s; si++) {
                            int iw = qi * strideW - padW + si;
                            if (iw >= 0 && iw < w) dx[xp + ih * w + iw] += share;
                        }
                    }
                }
            }
        }
    }

    // y[n,c,p,q] = max_{r,s} x[n,c,p·sH−pH+r, q·sW−pW+s]; padding acts as −inf.
    @Override
    public void maxForward(PoolGeometry g, float[] x, int xOff, float[] y, int yOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW(), p = g.p(), q = g.q();
        for (int plane = 0; plane < n * c; plane++) {
            int xp = xOff + plane * h * w, yp = yOff + plane * p * q;
            for (int pi = 0; pi < p; pi++) {
                for (int qi = 0; qi < q; qi++) {
                    int at = argmax(x, xp, h, w, r, s, pi * strideH - padH, qi * strideW - padW);
                    y[yp + pi * q + qi] = at < 0 ? Float.NEGATIVE_INFINITY : x[xp + at];
                }
            }
        }
    }

    // The max is locally the identity on its argmax and constant elsewhere, so dy goes to the
    // argmax only: dx[argmax(window p,q)] += dy[p,q]. OVERWRITES dx.
    @Override
    public void maxBackward(PoolGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW(), p = g.p(), q = g.q();
        Arrays.fill(dx, dxOff, dxOff + n * c * h * w, 0f);
        for (int plane = 0; plane < n * c; plane++) {
            int xp = xOff + plane * h * w, dxp = dxOff + plane * h * w, yp = dyOff + plane * p * q;
            for (int pi = 0; pi < p; pi++) {
                for (int qi = 0; qi < q; qi++) {
                    int at = argmax(x, xp, h, w, r, s, pi * strideH - padH, qi * strideW - padW);
                    if (at >= 0) dx[dxp + at] += dy[yp + pi * q + qi];
                }
            }
        }
    }

    /**
     * Index (ih·W + iw within the plane) of the window's maximum, scanning in row-major window
     * order, or −1 if the window lies wholly in the padding. Ties keep the first maximum; a NaN
     * always wins (PyTorch CPU's {@code val > max || isnan(val)}, so of several NaNs the last).
     */
    public static int argmax(float[] x, int planeOff, int h, int w, int r, int s, int ih0, int iw0) {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int ri = 0; ri < r; ri++) {
            int ih = ih0 + ri;
            if (ih < 0 || ih >= h) continue;
            for (int si = 0; si < s; si++) {
                int iw = iw0 + si;
                if (iw < 0 || iw >= w) continue;
                float v = x[planeOff + ih * w + iw];
                if (best < 0 || v > max || Float.isNaN(v)) {
                    max = v;
                    best = ih * w + iw;
                }
            }
        }
        return best;
    }
}
