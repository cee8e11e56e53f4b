package d2l4j.kernels.simd;

import d2l4j.kernels.PoolKernels;
import d2l4j.tensor.PoolGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2-D average and max pooling, same contract as {@link d2l4j.kernels.reference.Pool} (N×C×H×W in,
 * N×C×P×Q out, count_include_pad=True, ceil_mode=False, PyTorch's max-pool argmax rule).
 *
 * <p>A window is separable: forward first reduces the window's valid rows into a row buffer,
 * vectorized along the contiguous W (the "vertical" step), then reduces S neighbours of that buffer
 * per output column (the "horizontal" step; vectorized over q for strideW = 1 away from the
 * padding, scalar elsewhere). Average backward runs the adjoint steps in reverse order. Sums are
 * therefore added in a different order than the reference (column sums first): a few ulp apart.
 * Max backward recomputes each window's argmax from x with the reference's rule, V windows of a row at
 * a time (gathered, one lane per window) where they lie inside the image, the reference's scalar scan at
 * the borders; the gradient is then added in the reference's order, so dx is bit-identical.
 */
public final class Pool implements PoolKernels {

    private static final VectorSpecies<Float> F = Machine.F;
    private static final int V = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    /** Per-thread gather offsets {0, sW, 2·sW, ...}, argmax lanes and plane offsets {0, H·W, ...} for max-pool backward. */
    private static final ThreadLocal<int[][]> LANES = ThreadLocal.withInitial(() -> new int[][] {new int[V], new int[V], new int[V]});

    /** Per-thread row buffer of W floats, grown on demand. */
    private static final ThreadLocal<float[][]> ROW = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private static float[] rowBuffer(int w) {
        float[][] holder = ROW.get();
        if (holder[0].length < w) holder[0] = new float[w];
        return holder[0];
    }

    // y[n,c,p,q] = (1/(R·S)) · Σ_{r,s} x[n,c,p·sH−pH+r, q·sW−pW+s], padding counted as 0
    @Override
    public void avgForward(PoolGeometry g, float[] x, int xOff, float[] y, int yOff) {
        pool(false, g, x, xOff, y, yOff);
    }

    // y[n,c,p,q] = max_{r,s} x[n,c,p·sH−pH+r, q·sW−pW+s], padding as −inf
    @Override
    public void maxForward(PoolGeometry g, float[] x, int xOff, float[] y, int yOff) {
        pool(true, g, x, xOff, y, yOff);
    }

    private static void pool(boolean max, PoolGeometry g, float[] x, int xOff, float[] y, int yOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW(), p = g.p(), q = g.q();
        float divisor = r * s;
        float[] row = rowBuffer(w);
        float empty = max ? Float.NEGATIVE_INFINITY : 0f;
        // interior columns: the whole window row lies inside [0, w)
        int qLo = Math.min(q, (padW + strideW - 1) / strideW);
        int qHi = Math.max(qLo, Math.min(q, w - s + padW < 0 ? 0 : (w - s + padW) / strideW + 1));
        int planes = n * c, plane = 0;
        // Small planes (GoogLeNet's 6×6 and 3×3; strided pools of narrow maps): V planes at a time instead. Measured
        // at batch 16 on Zen 4: 3×3 maps 2.0x, 6×6 1.36x, 24×24 stride 2 1.2x as fast; 12×12 stride 1 0.9x (kept).
        if (max && qHi - qLo < V && (h * w <= 64 || strideW > 1)) {
            int[][] lanes = LANES.get();
            int[] planeStep = lanes[2];
            for (int t = 0; t < V; t++) planeStep[t] = t * h * w;
            for (; plane + V <= planes; plane += V) {
                maxPlanes(g, x, xOff + plane * h * w, planeStep, lanes[1], y, yOff + plane * p * q);
            }
        }
        for (; plane < planes; plane++) {
            int xp = xOff + plane * h * w, yp = yOff + plane * p * q;
            for (int pi = 0; pi < p; pi++) {
                int ih0 = Math.max(0, pi * strideH - padH), ih1 = Math.min(h, pi * strideH - padH + r);
                int out = yp + pi * q;
                if (ih0 >= ih1) { // window rows wholly in the padding
                    Arrays.fill(y, out, out + q, max ? Float.NEGATIVE_INFINITY : 0f);
                    continue;
                }
                // vertical: row[iw] = reduce over ih in [ih0, ih1) of x[ih, iw]
                System.arraycopy(x, xp + ih0 * w, row, 0, w);
                for (int ih = ih0 + 1; ih < ih1; ih++) {
                    int src = xp + ih * w, iw = 0;
                    for (int bound = F.loopBound(w); iw < bound; iw += V) {
                        FloatVector acc = FloatVector.fromArray(F, row, iw), v = FloatVector.fromArray(F, x, src + iw);
                        (max ? acc.max(v) : acc.add(v)).intoArray(row, iw);
                    }
                    for (; iw < w; iw++) row[iw] = max ? Math.max(row[iw], x[src + iw]) : row[iw] + x[src + iw];
                }
                // horizontal: y[q] = reduce over valid si of row[q·sW − pW + si]
                int qi = 0;
                if (strideW == 1) {
                    for (qi = qLo; qi + V <= qHi; qi += V) {
                        FloatVector acc = FloatVector.fromArray(F, row, qi - padW);
                        for (int si = 1; si < s; si++) {
                            FloatVector v = FloatVector.fromArray(F, row, qi - padW + si);
                            acc = max ? acc.max(v) : acc.add(v);
                        }
                        (max ? acc : acc.div(divisor)).intoArray(y, out + qi);
                    }
                    for (int e = 0; e < qLo; e++) y[out + e] = horizontal(max, row, w, e * strideW - padW, s, empty, divisor);
                }
                for (; qi < q; qi++) y[out + qi] = horizontal(max, row, w, qi * strideW - padW, s, empty, divisor);
            }
        }
    }

    // Windows that tile the input (stride = kernel, no padding; LeNet's 2×2 pools): every x element lies
    // in at most one window, so average backward is one plain write per dx element, with no row buffer,
    // no clipping and no zeroing pass (measured ~20% faster on LeNet's first pool; the same trick in the
    // forward pass, as a scalar loop, was slower than the vectorized vertical step above, so it is not used).
    private static boolean tiles(int r, int s, int strideH, int strideW, int padH, int padW) {
        return strideH == r && strideW == s && padH == 0 && padW == 0;
    }

    // dx[p·R + r, q·S + s] = dy[p,q] / (R·S); rows and columns past the last window get 0. OVERWRITES dx.
    private static void avgPoolTiledBackward(float[] dy, int dyOff, int planes, int h, int w, int r, int s,
                                             float[] dx, int dxOff) {
        int p = h / r, q = w / s;
        float divisor = r * s;
        if (p * r != h || q * s != w) Arrays.fill(dx, dxOff, dxOff + planes * h * w, 0f);
        for (int plane = 0; plane < planes; plane++) {
            for (int pi = 0; pi < p; pi++) {
                int in = dyOff + (plane * p + pi) * q;
                for (int ri = 0; ri < r; ri++) {
                    int dst = dxOff + (plane * h + pi * r + ri) * w;
                    for (int qi = 0; qi < q; qi++) {
                        float g = dy[in + qi] / divisor;
                        for (int si = 0; si < s; si++) dx[dst + qi * s + si] = g;
                    }
                }
            }
        }
    }

    // reduce row[iw0 .. iw0+s) ∩ [0, w) in order; average divides by R·S
    private static float horizontal(boolean max, float[] row, int w, int iw0, int s, float empty, float divisor) {
        float acc = empty;
        int from = Math.max(0, iw0), to = Math.min(w, iw0 + s);
        for (int iw = from; iw < to; iw++) acc = max ? Math.max(acc, row[iw]) : acc + row[iw];
        return max ? acc : acc / divisor;
    }

    // dx[ih,iw] = Σ over windows covering (ih,iw) of dy[p,q]/(R·S): the adjoint of the two forward
    // steps: scatter dy/(R·S) horizontally into a row, then add that row to the window's rows.
    // OVERWRITES dx.
    @Override
    public void avgBackward(PoolGeometry g, float[] dy, int dyOff, float[] dx, int dxOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW(), p = g.p(), q = g.q();
        if (tiles(r, s, strideH, strideW, padH, padW)) {
            avgPoolTiledBackward(dy, dyOff, n * c, h, w, r, s, dx, dxOff);
            return;
        }
        float divisor = r * s;
        float[] row = rowBuffer(w);
        Arrays.fill(dx, dxOff, dxOff + n * c * h * w, 0f);
        for (int plane = 0; plane < n * c; plane++) {
            int xp = dxOff + plane * h * w, yp = dyOff + plane * p * q;
            for (int pi = 0; pi < p; pi++) {
                int ih0 = Math.max(0, pi * strideH - padH), ih1 = Math.min(h, pi * strideH - padH + r);
                if (ih0 >= ih1) continue;
                Arrays.fill(row, 0, w, 0f);
                for (int qi = 0; qi < q; qi++) {
                    float share = dy[yp + pi * q + qi] / divisor;
                    int iw0 = qi * strideW - padW;
                    for (int iw = Math.max(0, iw0), to = Math.min(w, iw0 + s); iw < to; iw++) row[iw] += share;
                }
                for (int ih = ih0; ih < ih1; ih++) {
                    int dst = xp + ih * w, iw = 0;
                    for (int bound = F.loopBound(w); iw < bound; iw += V) {
                        FloatVector.fromArray(F, dx, dst + iw).add(FloatVector.fromArray(F, row, iw)).intoArray(dx, dst + iw);
                    }
                    for (; iw < w; iw++) dx[dst + iw] += row[iw];
                }
            }
        }
    }

    // The max is locally the identity on its argmax: dx[argmax(window p,q)] += dy[p,q]. OVERWRITES dx.
    @Override
    public void maxBackward(PoolGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), r = g.r(), s = g.s();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW(), p = g.p(), q = g.q();
        int len = n * c * h * w, i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int bound = F.loopBound(len); i < bound; i += V) zero.intoArray(dx, dxOff + i);
        for (; i < len; i++) dx[dxOff + i] = 0f;
        // columns whose windows lie inside the image: V of them at a time, the argmax in vector lanes
        int qLo = Math.min(q, (padW + strideW - 1) / strideW), qHi = Math.max(qLo, Math.min(q, (w - s + padW) / strideW + 1));
        int[][] lanes = LANES.get();
        int[] step = lanes[0], at = lanes[1], planeStep = lanes[2];
        int planes = n * c, plane = 0;
        // narrow planes (GoogLeNet's 12×12 and smaller): V planes at a time instead. Measured at batch 16 on Zen 4
        // against the per-row path: 12×12 1.8x, 6×6 2.7x, 3×3 3x, 24×24 stride 2 1.4x as fast.
        if (qHi - qLo < V) {
            for (int t = 0; t < V; t++) planeStep[t] = t * h * w;
            IntVector planeStepV = IntVector.fromArray(I, planeStep, 0);
            for (; plane + V <= planes; plane += V) {
                maxBackPlanes(g, x, xOff + plane * h * w, dy, dyOff + plane * p * q, dx, dxOff + plane * h * w,
                        planeStep, planeStepV, at);
            }
        }
        for (int t = 0; t < V; t++) step[t] = t * strideW;
        IntVector stepV = IntVector.fromArray(I, step, 0);
        for (; plane < planes; plane++) {
            int xp = xOff + plane * h * w, dxp = dxOff + plane * h * w, yp = dyOff + plane * p * q;
            for (int pi = 0; pi < p; pi++) {
                int ih0 = pi * strideH - padH, qi = 0;
                if (ih0 >= 0 && ih0 + r <= h) {
                    for (; qi < qLo; qi++) scalarMaxBack(x, xp, dy, yp + pi * q + qi, h, w, r, s, ih0, qi * strideW - padW, dx, dxp);
                    for (; qi + V <= qHi; qi += V) {
                        maxBackLanes(x, xp, ih0 * w + qi * strideW - padW, w, r, s, step, stepV, at);
                        for (int t = 0; t < V; t++) dx[dxp + at[t]] += dy[yp + pi * q + qi + t];
                    }
                }
                for (; qi < q; qi++) scalarMaxBack(x, xp, dy, yp + pi * q + qi, h, w, r, s, ih0, qi * strideW - padW, dx, dxp);
            }
        }
    }

    /**
     * Max-pool forward for V planes side by side (plane t at {@code t·H·W} from x's offset, {@code t·P·Q} from y's),
     * one lane per plane, window by window with the window's clipping: the reference's scan and rule (row-major,
     * a NaN always wins), so y holds the bits of the reference's argmax element. {@code tmp}: V ints of scratch.
     */
    private static void maxPlanes(PoolGeometry g, float[] x, int xg, int[] planeStep, int[] tmp, float[] y, int yg) {
        int h = g.h(), w = g.w(), r = g.r(), s = g.s(), p = g.p(), q = g.q();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW();
        int pq = p * q;
        for (int pi = 0; pi < p; pi++) {
            int ih0 = Math.max(0, pi * strideH - padH), ih1 = Math.min(h, pi * strideH - padH + r);
            for (int qi = 0; qi < q; qi++) {
                int iw0 = Math.max(0, qi * strideW - padW), iw1 = Math.min(w, qi * strideW - padW + s);
                int out = yg + pi * q + qi;
                if (ih0 >= ih1 || iw0 >= iw1) { // wholly in the padding
                    for (int t = 0; t < V; t++) y[out + t * pq] = Float.NEGATIVE_INFINITY;
                    continue;
                }
                FloatVector max = FloatVector.fromArray(F, x, xg + ih0 * w + iw0, planeStep, 0);
                for (int ih = ih0; ih < ih1; ih++) {
                    for (int iw = ih == ih0 ? iw0 + 1 : iw0; iw < iw1; iw++) {
                        FloatVector v = FloatVector.fromArray(F, x, xg + ih * w + iw, planeStep, 0);
                        max = max.blend(v, v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN)));
                    }
                }
                max.reinterpretAsInts().intoArray(tmp, 0); // the bits, NaN payloads included
                for (int t = 0; t < V; t++) y[out + t * pq] = Float.intBitsToFloat(tmp[t]);
            }
        }
    }

    /**
     * Max-pool backward for V planes side by side (plane t at {@code t·H·W} from x's and dx's offsets, {@code t·P·Q}
     * from dy's), one lane per plane, window by window: every lane shares the window's clipping at the borders, so
     * border windows vectorize too. Each plane sees its windows in the reference's order and rule (row-major scan,
     * ties keep the first, a NaN always wins), so dx is bit-identical.
     */
    private static void maxBackPlanes(PoolGeometry g, float[] x, int xg, float[] dy, int yg, float[] dx, int dxg,
                                      int[] planeStep, IntVector planeStepV, int[] at) {
        int h = g.h(), w = g.w(), r = g.r(), s = g.s(), p = g.p(), q = g.q();
        int strideH = g.strideH(), strideW = g.strideW(), padH = g.padH(), padW = g.padW();
        int pq = p * q;
        for (int pi = 0; pi < p; pi++) {
            int ih0 = Math.max(0, pi * strideH - padH), ih1 = Math.min(h, pi * strideH - padH + r);
            for (int qi = 0; qi < q; qi++) {
                int iw0 = Math.max(0, qi * strideW - padW), iw1 = Math.min(w, qi * strideW - padW + s);
                if (ih0 >= ih1 || iw0 >= iw1) continue; // wholly in the padding: no gradient
                int first = ih0 * w + iw0;
                FloatVector max = FloatVector.fromArray(F, x, xg + first, planeStep, 0);
                IntVector idx = planeStepV.add(first);
                for (int ih = ih0; ih < ih1; ih++) {
                    for (int iw = ih == ih0 ? iw0 + 1 : iw0; iw < iw1; iw++) {
                        int off = ih * w + iw;
                        FloatVector v = FloatVector.fromArray(F, x, xg + off, planeStep, 0);
                        VectorMask<Float> wins = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                        max = max.blend(v, wins);
                        idx = idx.blend(planeStepV.add(off), wins.cast(I));
                    }
                }
                idx.intoArray(at, 0);
                for (int t = 0; t < V; t++) dx[dxg + at[t]] += dy[yg + t * pq + pi * q + qi];
            }
        }
    }

    private static void scalarMaxBack(float[] x, int xp, float[] dy, int yi, int h, int w, int r, int s, int ih0, int iw0,
                                      float[] dx, int dxp) {
        int a = d2l4j.kernels.reference.Pool.argmax(x, xp, h, w, r, s, ih0, iw0);
        if (a >= 0) dx[dxp + a] += dy[yi];
    }

    /**
     * The argmax (index within the plane) of V windows side by side, starting at plane index {@code first}
     * and {@code step[t]} apart, all inside the image: the reference's rule lane by lane (row-major scan,
     * ties keep the first, a NaN always wins).
     */
    private static void maxBackLanes(float[] x, int xp, int first, int w, int r, int s, int[] step, IntVector stepV, int[] at) {
        FloatVector max = FloatVector.fromArray(F, x, xp + first, step, 0);
        IntVector idx = stepV.add(first);
        for (int ri = 0; ri < r; ri++) {
            for (int si = ri == 0 ? 1 : 0; si < s; si++) {
                int off = first + ri * w + si;
                FloatVector v = FloatVector.fromArray(F, x, xp + off, step, 0);
                VectorMask<Float> wins = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                max = max.blend(v, wins);
                idx = idx.blend(stepV.add(off), wins.cast(I));
            }
        }
        idx.intoArray(at, 0);
    }
}
