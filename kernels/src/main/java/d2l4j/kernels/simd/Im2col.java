package d2l4j.kernels.simd;

import d2l4j.kernels.Im2colKernels;
import d2l4j.tensor.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * im2col / col2im, same contract as {@link d2l4j.kernels.reference.Im2col}: x is C×H×W, col is
 * (C·R·S)×(P·Q), row (c, r, s), column (p, q) holding x[c, p·strideH − padH + r, q·strideW − padW + s].
 *
 * <p>For each (c, r, s, p) the valid q form one contiguous range [qLo, qHi) computed once, so
 * the inner loops carry no bounds tests. With strideW = 1 that range is a contiguous run of an x
 * row: a copy (im2col) or a vector add (col2im); otherwise a strided scalar gather/scatter.
 */
public final class Im2col implements Im2colKernels {

    private static final VectorSpecies<Float> F = Machine.F;

    // first q with q·stride − pad + si >= 0
    private static int qLow(int si, int strideW, int padW, int q) {
        int need = padW - si; // q·stride >= need
        return Math.min(q, need <= 0 ? 0 : (need + strideW - 1) / strideW);
    }

    // one past the last q with q·stride − pad + si < w
    private static int qHigh(int si, int strideW, int padW, int w, int q) {
        int limit = w - 1 + padW - si; // q·stride <= limit
        return limit < 0 ? 0 : Math.min(q, limit / strideW + 1);
    }

    // col[(c·R + r)·S + s][p·Q + q] = x[c][p·strideH − padH + r][q·strideW − padW + s]  (0 outside)
    @Override
    public void im2col(ConvGeometry g, float[] x, int xOff, float[] col, int colOff) {
        int c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s(), p = g.p(), q = g.q();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW();
        for (int ci = 0; ci < c; ci++) {
            for (int ri = 0; ri < r; ri++) {
                for (int si = 0; si < s; si++) {
                    int row = colOff + ((ci * r + ri) * s + si) * p * q;
                    int lo = qLow(si, strideW, padW, q), hi = Math.max(lo, qHigh(si, strideW, padW, w, q));
                    for (int pi = 0; pi < p; pi++) {
                        int ih = pi * strideH - padH + ri, dst = row + pi * q;
                        if (ih < 0 || ih >= h) {
                            java.util.Arrays.fill(col, dst, dst + q, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, dst, dst + lo, 0f);
                        java.util.Arrays.fill(col, dst + hi, dst + q, 0f);
                        if (hi == lo) continue; // this kernel column lies wholly in the padding
                        int src = xOff + (ci * h + ih) * w - padW + si; // x index of q = 0 (may lie before x)
                        if (strideW == 1) {
                            System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                        } else {
                            for (int qi = lo; qi < hi; qi++) col[dst + qi] = x[src + qi * strideW];
                        }
                    }
                }
            }
        }
    }

    // The adjoint of im2col: x[c][ih][iw] += every col entry copied from it. ACCUMULATES into x.
    @Override
    public void col2im(ConvGeometry g, float[] col, int colOff, float[] x, int xOff) {
        int c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s(), p = g.p(), q = g.q();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW();
        for (int ci = 0; ci < c; ci++) {
            for (int ri = 0; ri < r; ri++) {
                for (int si = 0; si < s; si++) {
                    int row = colOff + ((ci * r + ri) * s + si) * p * q;
                    int lo = qLow(si, strideW, padW, q), hi = Math.max(lo, qHigh(si, strideW, padW, w, q));
                    for (int pi = 0; pi < p; pi++) {
                        int ih = pi * strideH - padH + ri;
                        if (ih < 0 || ih >= h) continue;
                        int src = row + pi * q, dst = xOff + (ci * h + ih) * w - padW + si;
                        if (strideW == 1) {
                            addInto(col, src + lo, x, dst + lo, hi - lo);
                        } else {
                            for (int qi = lo; qi < hi; qi++) x[dst + qi * strideW] += col[src + qi];
                        }
                    }
                }
            }
        }
    }

    // y[yOff + i] += a[aOff + i] for i < len
    private static void addInto(float[] a, int aOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, y, yOff + i).add(FloatVector.fromArray(F, a, aOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] += a[aOff + i];
    }
}
