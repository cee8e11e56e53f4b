package d2l4j.kernels.simd;

import d2l4j.kernels.ImplicitConvKernels;
import d2l4j.tensor.ConvGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution without im2col, same contract as {@link d2l4j.kernels.reference.ImplicitConv}: an
 * "implicit GEMM" over padded rows, for the small convolutions (LeNet's) where packing costs more than the
 * arithmetic.
 *
 * <p>Copy one image into a zero-padded buffer xp (C×Hp×Wp, Hp = H + 2·padH, Wp = W + 2·padW) and let the
 * output column j = p·Wp + q run over whole padded rows (q &lt; Wp; only q &lt; Q are real outputs). Then
 * row (c, r, s) of the im2col matrix is xp itself, shifted:
 * <pre>
 *   col[(c,r,s), j] = xp[off(c,r,s) + j],   off(c,r,s) = c·Hp·Wp + r·Wp + s
 *   forward:        yExt[k, j] = Σ_(c,r,s) W[k,(c,r,s)] · xp[off(c,r,s) + j]      then y = yExt at q &lt; Q, + bias
 *   backwardData:   the adjoint of a stride-1 convolution is the stride-1 convolution of dy, padded by
 *                   (R−1−padH, S−1−padW), with the flipped kernel, channels swapped:
 *                   W'[c,(k,r,s)] = W[k, c, R−1−r, S−1−s]   (needs padH &lt; R and padW &lt; S)
 *   backwardWeight: dW[k,(c,r,s)] = Σ_n Σ_j dyExt[k, j] · xp[off(c,r,s) + j],  dyExt = dy with 0 at q ≥ Q
 * </pre>
 * Where padded columns are most of the row tile's work ({@link #channelLanes}), forward and backwardData turn the
 * tile around: lanes across output channels, a tile of any MP pixels of the map, no padded column computed
 * ({@link ChannelLanes}, the same xp, offsets and packed weights).
 * Forward and backwardData accumulate each output as one FMA chain over (c,r,s) in order, as the packed
 * {@link Gemm} does, so forward gives the same bits as im2col + Gemm (for C·R·S ≤ Gemm.KC). backwardWeight
 * keeps 16 logical lanes of partial sums per dW element (lane l sums the columns j ≡ l mod 16, in 16/V vectors,
 * whatever the vector width V) over all n images and adds them in lane order at the end, so its bits do not
 * depend on V either.
 */
public final class ImplicitConv implements ImplicitConvKernels {

    private static final VectorSpecies<Float> F = Machine.F;
    private static final int V = F.length();
    /**
     * Register tile of the forward product: MR rows × NR columns, 6 × 2 accumulators for LeNet's 6 and 16 rows, and,
     * where the register file has 32 vectors, 12 × 2 (as the packed {@link Gemm}) for products of at least
     * {@link #WIDE} rows: fewer loads of xp per FMA. With 16 registers (AVX2) 12 × 2 would spill: 6 × 2 throughout.
     */
    static final int MR = 6, MR_WIDE = 12, WIDE = 24;
    /** Whether the 12-row tile fits the register file (32 vectors; not AVX2's 16). */
    static final boolean WIDE_TILES = Machine.REGISTERS >= 32;
    static final int NR = 2 * V;
    /** Register tile of backwardWeight: MW rows of dW (k) × NW columns ((c,r,s)), one vector each. */
    private static final int MW = 4, NW = 3;
    /** Logical lanes of backwardWeight's partial sums (as {@link Elementwise#LANES}): 16 for every V. */
    private static final int L = Elementwise.LANES;

    /** Per-thread buffers, grown on demand. */
    private static final class Workspace {
        float[] xp = new float[0], out = new float[0], pa = new float[0], dyExt = new float[0], acc = new float[0];
        int[] off = new int[0], pix = new int[0];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    // y[n,k,p,q] = Σ_{c,r,s} W[k,c,r,s] · x[n, c, p − padH + r, q − padW + s] + bias[k]. OVERWRITES y.
    @Override
    public void forward(ConvGeometry g, float[] x, int xOff, float[] weight, float[] bias, float[] y, int yOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), k = g.k(), r = g.r(), s = g.s(), padH = g.padH(), padW = g.padW();
        Workspace ws = WORKSPACE.get();
        int crs = c * r * s;
        ConvGeometry image = g.images(1);
        int mr = rowsPerTile(image);
        float[] pa = packA(ws, k, crs, mr);
        for (int i = 0; i < k; i++) {
            for (int t = 0; t < crs; t++) pa[i / mr * mr * crs + t * mr + i % mr] = weight[i * crs + t];
        }
        int p = g.p(), q = g.q();
        for (int img = 0; img < n; img++) {
            convolveImage(ws, image, mr, x, xOff + img * c * h * w, bias, y, yOff + img * k * p * q);
        }
    }

    // dx[n,c,ih,iw] = Σ_{k,r,s} W[k,c,r,s] · dy[n, k, ih + padH − r, iw + padW − s]: the forward
    // convolution of dy padded by (R−1−padH, S−1−padW) with W'[c,k,r,s] = W[k,c,R−1−r,S−1−s]. OVERWRITES dx.
    @Override
    public void backwardData(ConvGeometry g, float[] dy, int dyOff, float[] weight, float[] dx, int dxOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), k = g.k(), r = g.r(), s = g.s(), padH = g.padH(), padW = g.padW();
        if (padH >= r || padW >= s) {
            throw new IllegalArgumentException("ImplicitConv.backwardData: needs padding < kernel, got pad "
                    + padH + "x" + padW + " with kernel " + r + "x" + s);
        }
        Workspace ws = WORKSPACE.get();
        int krs = k * r * s, p = g.p(), q = g.q();
        // one image of dy (K×P×Q), padded by (R−1−padH, S−1−padW), convolved with W' into C channels of H×W
        ConvGeometry adjoint = new ConvGeometry(1, k, p, q, c, r, s, 1, 1, r - 1 - padH, s - 1 - padW);
        int mr = rowsPerTile(adjoint);
        float[] pa = packA(ws, c, krs, mr);
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < k; ki++)
                for (int ri = 0; ri < r; ri++)
                    for (int si = 0; si < s; si++) {
                        int t = (ki * r + ri) * s + si;
                        pa[ci / mr * mr * krs + t * mr + ci % mr] = weight[((ki * c + ci) * r + (r - 1 - ri)) * s + (s - 1 - si)];
                    }
        }
        for (int img = 0; img < n; img++) {
            convolveImage(ws, adjoint, mr, dy, dyOff + img * k * p * q, null, dx, dxOff + img * c * h * w);
        }
    }

    // dW[k,c,r,s] = Σ_{n,p,q} dy[n,k,p,q] · x[n, c, p − padH + r, q − padW + s]; dBias[k] = Σ_{n,p,q} dy[n,k,p,q].
    // Per image: dW[k,(c,r,s)] += Σ_j dyExt[k, j] · xp[off(c,r,s) + j], in vectors of partial sums. OVERWRITES dW, dBias.
    @Override
    public void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dW, int dWOff,
                               float[] dBias, int dBiasOff) {
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), k = g.k(), r = g.r(), s = g.s(), padH = g.padH(), padW = g.padW();
        Workspace ws = WORKSPACE.get();
        int hp = h + 2 * padH, wp = w + 2 * padW, p = g.p(), q = g.q(), crs = c * r * s;
        int nExt = roundUp(p * wp, L), kw = roundUp(k, MW), cw = roundUp(crs, NW);
        if (ws.dyExt.length < kw * nExt) ws.dyExt = new float[kw * nExt];
        if (ws.acc.length < kw * cw * L) ws.acc = new float[kw * cw * L];
        float[] dyExt = ws.dyExt, acc = ws.acc;
        Arrays.fill(dyExt, 0, kw * nExt, 0f); // the columns q >= Q and the rows k >= K stay 0
        Arrays.fill(acc, 0, kw * cw * L, 0f);
        int[] off = offsets(ws, c, hp, wp, r, s, crs);
        for (int img = 0; img < n; img++) {
            float[] xp = paddedCopy(ws, x, xOff + img * c * h * w, c, h, w, padH, padW, s);
            int dyImg = dyOff + img * k * p * q;
            for (int ki = 0; ki < k; ki++) {
                for (int pi = 0; pi < p; pi++) System.arraycopy(dy, dyImg + (ki * p + pi) * q, dyExt, ki * nExt + pi * wp, q);
                if (dBias != null) {
                    float sum = Elementwise.laneSum(dy, dyImg + ki * p * q, p * q);
                    dBias[dBiasOff + ki] = img == 0 ? sum : dBias[dBiasOff + ki] + sum;
                }
            }
            for (int kt = 0; kt < kw; kt += MW) {
                for (int ct = 0; ct < cw; ct += NW) {
                    for (int part = 0; part < L; part += V) { // lanes part .. part+V−1 of the 16
                        tileW(part, nExt, dyExt, kt * nExt, xp, off[ct], off[ct + 1], off[ct + 2], acc,
                                (kt * cw + ct) * L + part, cw * L);
                    }
                }
            }
        }
        for (int ki = 0; ki < k; ki++) { // add each element's lanes in order
            for (int t = 0; t < crs; t++) {
                int a = (ki * cw + t) * L;
                float sum = acc[a];
                for (int l = 1; l < L; l++) sum += acc[a + l];
                dW[dWOff + ki * crs + t] = sum;
            }
        }
    }

    /**
     * acc[(i, t)] += Σ_j dyExt[i, j] · xp[o_t + j] (partial sums in logical lanes part .. part+V−1: the columns
     * j ≡ lane mod 16) for MW rows i from dyExt[d] (row stride nExt) and the NW windows o0, o1, o2; acc rows are
     * accLd apart, the NW windows of a row L apart.
     */
    private static void tileW(int part, int nExt, float[] dyExt, int d, float[] xp, int o0, int o1, int o2, float[] acc,
                              int a, int accLd) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c22 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F), c32 = FloatVector.zero(F);
        for (int j = part; j < nExt; j += L) {
            FloatVector x0 = FloatVector.fromArray(F, xp, o0 + j);
            FloatVector x1 = FloatVector.fromArray(F, xp, o1 + j);
            FloatVector x2 = FloatVector.fromArray(F, xp, o2 + j);
            FloatVector dv = FloatVector.fromArray(F, dyExt, d + j);
            c00 = dv.fma(x0, c00);
            c01 = dv.fma(x1, c01);
            c02 = dv.fma(x2, c02);
            dv = FloatVector.fromArray(F, dyExt, d + nExt + j);
            c10 = dv.fma(x0, c10);
            c11 = dv.fma(x1, c11);
            c12 = dv.fma(x2, c12);
            dv = FloatVector.fromArray(F, dyExt, d + 2 * nExt + j);
            c20 = dv.fma(x0, c20);
            c21 = dv.fma(x1, c21);
            c22 = dv.fma(x2, c22);
            dv = FloatVector.fromArray(F, dyExt, d + 3 * nExt + j);
            c30 = dv.fma(x0, c30);
            c31 = dv.fma(x1, c31);
            c32 = dv.fma(x2, c32);
        }
        // acc[row i, window t] += c_it, written out here rather than in a helper: vectors passed to a method that the
        // JIT does not inline are boxed (measured: GoogLeNet's step allocated ~1 GB of FloatVectors that way)
        int a1 = a + accLd, a2 = a + 2 * accLd, a3 = a + 3 * accLd;
        FloatVector.fromArray(F, acc, a).add(c00).intoArray(acc, a);
        FloatVector.fromArray(F, acc, a + L).add(c01).intoArray(acc, a + L);
        FloatVector.fromArray(F, acc, a + 2 * L).add(c02).intoArray(acc, a + 2 * L);
        FloatVector.fromArray(F, acc, a1).add(c10).intoArray(acc, a1);
        FloatVector.fromArray(F, acc, a1 + L).add(c11).intoArray(acc, a1 + L);
        FloatVector.fromArray(F, acc, a1 + 2 * L).add(c12).intoArray(acc, a1 + 2 * L);
        FloatVector.fromArray(F, acc, a2).add(c20).intoArray(acc, a2);
        FloatVector.fromArray(F, acc, a2 + L).add(c21).intoArray(acc, a2 + L);
        FloatVector.fromArray(F, acc, a2 + 2 * L).add(c22).intoArray(acc, a2 + 2 * L);
        FloatVector.fromArray(F, acc, a3).add(c30).intoArray(acc, a3);
        FloatVector.fromArray(F, acc, a3 + L).add(c31).intoArray(acc, a3 + L);
        FloatVector.fromArray(F, acc, a3 + 2 * L).add(c32).intoArray(acc, a3 + 2 * L);
    }

    // rows of a packed weight panel for one image's product: ChannelLanes's NR where it takes the product, else
    // the row tile's
    private static int rowsPerTile(ConvGeometry image) {
        return channelLanes(image) ? ChannelLanes.NR : rowTile(image.k());
    }

    private static int rowTile(int m) {
        return WIDE_TILES && m >= WIDE ? MR_WIDE : MR;
    }

    // columns the row tile computes for one image: whole padded rows, to a multiple of NR (or of V, see below)
    private static int rowTileColumns(ConvGeometry image) {
        int wp = image.w() + 2 * image.padW(), cols = image.p() * wp, full = cols / NR * NR, rest = cols - full;
        boolean narrowLast = rowTile(image.k()) == MR_WIDE && rest > 0 && rest <= V;
        return narrowLast ? full + V : roundUp(cols, NR);
    }

    /**
     * Whether ChannelLanes takes one image's product (for forward, the image's geometry; for backwardData, its
     * adjoint: dy's K channels in, C out, padding R−1−padH by S−1−padW): where the row tile computes more than twice the padded work
     * of the channel tile (the share of its lanes that are real outputs, pixels × channels, under half of the
     * channel tile's). Measured (bench/notes/convolution-paths.md): the channel tile runs at 0.6-0.75 of the row
     * tile's speed per lane, 1.57x faster in all on a 3×3 map under a 5×5 kernel (9 of 32 columns real in a row
     * tile), 0.85-0.97x on 6×6 and 12×12 maps (36 of 48, 144 of 176).
     */
    public static boolean channelLanes(ConvGeometry image) {
        int m = image.k(), pq = image.pq();
        double row = (double) pq / rowTileColumns(image) * m / roundUp(m, rowTile(m));
        double channel = (double) pq / roundUp(pq, ChannelLanes.MP) * m / roundUp(m, ChannelLanes.NR);
        return row < 0.5 * channel;
    }

    // the packed weights: pa[i/mr·mr·kk + t·mr + i%mr] = A[i, t], rows past m zero (mr = rowsPerTile(image))
    private static float[] packA(Workspace ws, int m, int kk, int mr) {
        int size = roundUp(m, mr) * kk;
        if (ws.pa.length < size) ws.pa = new float[size];
        Arrays.fill(ws.pa, 0, size, 0f);
        return ws.pa;
    }

    /**
     * out (m×P×Q) = ws.pa (m×(cin·R·S), packed) ⋆ in (cin×hin×win, padded by padH, padW), plus bias
     * (nullable) per output channel: the padded copy, the product over whole padded rows, the crop.
     * {@code g} is one image's stride-1 geometry: cin = g.c, hin × win = g.h × g.w, m = g.k; mr =
     * {@link #rowsPerTile} of it, as ws.pa was packed.
     */
    private static void convolveImage(Workspace ws, ConvGeometry g, int mr, float[] in, int inOff, float[] bias, float[] out, int outOff) {
        int cin = g.c(), hin = g.h(), win = g.w(), padH = g.padH(), padW = g.padW(), r = g.r(), s = g.s(), m = g.k();
        int hp = hin + 2 * padH, wp = win + 2 * padW, p = g.p(), q = g.q(), kk = cin * r * s;
        int rows = roundUp(m, mr);
        // With the wide tile, a last strip of at most V columns is done one vector wide: small maps waste less
        // (6×6 padded by 1: 48 columns of work instead of 64 for 36 outputs; 3×3: 16 instead of 32).
        int full = p * wp / NR * NR, rest = p * wp - full;
        boolean narrowLast = mr == MR_WIDE && rest > 0 && rest <= V;
        int nExt = narrowLast ? full + V : roundUp(p * wp, NR);
        float[] xp = paddedCopy(ws, in, inOff, cin, hin, win, padH, padW, s);
        int[] off = offsets(ws, cin, hp, wp, r, s, kk);
        if (mr == ChannelLanes.NR && channelLanes(g)) { // lanes across output channels: no padded columns computed
            int[] pix = ws.pix = ChannelLanes.pixels(ws.pix, p, q, wp);
            int size = roundUp(p * q, ChannelLanes.MP) * rows;
            if (ws.out.length < size) ws.out = new float[size];
            ChannelLanes.convolve(m, kk, ws.pa, xp, off, pix, p * q, ws.out, bias, out, outOff);
            return;
        }
        if (ws.out.length < rows * nExt) ws.out = new float[rows * nExt];
        float[] pa = ws.pa, yExt = ws.out;
        for (int j = 0; j < nExt; j += NR) { // one column strip of xp windows, reused by every row panel
            for (int i = 0; i < rows; i += mr) {
                if (narrowLast && j == full) tileNarrow(kk, pa, i * kk, xp, off, j, yExt, i * nExt + j, nExt);
                else if (mr == MR_WIDE) tileWide(kk, pa, i * kk, xp, off, j, yExt, i * nExt + j, nExt);
                else tile(kk, pa, i * kk, xp, off, j, yExt, i * nExt + j, nExt);
            }
        }
        for (int i = 0; i < m; i++) { // crop the q < Q columns of each padded row, adding the bias
            for (int pi = 0; pi < p; pi++) {
                int src = i * nExt + pi * wp, dst = outOff + (i * p + pi) * q;
                if (bias == null) {
                    System.arraycopy(yExt, src, out, dst, q);
                    continue;
                }
                float b = bias[i];
                int qi = 0;
                for (int bound = F.loopBound(q); qi < bound; qi += V) {
                    FloatVector.fromArray(F, yExt, src + qi).add(b).intoArray(out, dst + qi);
                }
                for (; qi < q; qi++) out[dst + qi] = yExt[src + qi] + b;
            }
        }
    }

    // xp = in padded with zeros; max(NR, L) + S floats of slack past the end so every window read stays inside
    // (the forward's column strips run NR wide, backwardWeight's partial sums to a multiple of L)
    private static float[] paddedCopy(Workspace ws, float[] in, int inOff, int c, int h, int w, int padH, int padW, int s) {
        int hp = h + 2 * padH, wp = w + 2 * padW, size = c * hp * wp + Math.max(NR, L) + s;
        if (ws.xp.length < size) ws.xp = new float[size];
        float[] xp = ws.xp;
        if (padH == 0 && padW == 0) {
            System.arraycopy(in, inOff, xp, 0, c * h * w);
            Arrays.fill(xp, c * h * w, size, 0f);
            return xp;
        }
        Arrays.fill(xp, 0, size, 0f);
        for (int ci = 0; ci < c; ci++) {
            for (int ih = 0; ih < h; ih++) {
                System.arraycopy(in, inOff + (ci * h + ih) * w, xp, (ci * hp + ih + padH) * wp + padW, w);
            }
        }
        return xp;
    }

    // off[(c·R + r)·S + s] = c·Hp·Wp + r·Wp + s, entries past kk (up to a multiple of NW) 0
    private static int[] offsets(Workspace ws, int c, int hp, int wp, int r, int s, int kk) {
        int size = roundUp(kk, NW);
        if (ws.off.length < size) ws.off = new int[size];
        for (int ci = 0; ci < c; ci++)
            for (int ri = 0; ri < r; ri++)
                for (int si = 0; si < s; si++) ws.off[(ci * r + ri) * s + si] = ci * hp * wp + ri * wp + si;
        Arrays.fill(ws.off, kk, size, 0);
        return ws.off;
    }

    /** out[i, j:j+NR] = Σ_t pa[t, i] · xp[off[t] + j : +NR] for the MR rows of one packed panel. */
    private static void tile(int kk, float[] pa, int aIdx, float[] xp, int[] off, int j, float[] out, int o, int ld) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int t = 0; t < kk; t++) {
            int ai = aIdx + t * MR, bi = off[t] + j;
            FloatVector b0 = FloatVector.fromArray(F, xp, bi), b1 = FloatVector.fromArray(F, xp, bi + V);
            FloatVector av = FloatVector.broadcast(F, pa[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, pa[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, pa[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(out, o);
        c01.intoArray(out, o + V);
        c10.intoArray(out, o + ld);
        c11.intoArray(out, o + ld + V);
        c20.intoArray(out, o + 2 * ld);
        c21.intoArray(out, o + 2 * ld + V);
        c30.intoArray(out, o + 3 * ld);
        c31.intoArray(out, o + 3 * ld + V);
        c40.intoArray(out, o + 4 * ld);
        c41.intoArray(out, o + 4 * ld + V);
        c50.intoArray(out, o + 5 * ld);
        c51.intoArray(out, o + 5 * ld + V);
    }

    /** {@link #tile} for MR_WIDE = 12 rows of one packed panel. */
    private static void tileWide(int kk, float[] pa, int aIdx, float[] xp, int[] off, int j, float[] out, int o, int ld) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        FloatVector c80 = FloatVector.zero(F), c81 = FloatVector.zero(F);
        FloatVector c90 = FloatVector.zero(F), c91 = FloatVector.zero(F);
        FloatVector c100 = FloatVector.zero(F), c101 = FloatVector.zero(F);
        FloatVector c110 = FloatVector.zero(F), c111 = FloatVector.zero(F);
        for (int t = 0; t < kk; t++) {
            int ai = aIdx + t * MR_WIDE, bi = off[t] + j;
            FloatVector b0 = FloatVector.fromArray(F, xp, bi), b1 = FloatVector.fromArray(F, xp, bi + V);
            FloatVector av = FloatVector.broadcast(F, pa[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, pa[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, pa[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, pa[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, pa[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            av = FloatVector.broadcast(F, pa[ai + 8]);
            c80 = av.fma(b0, c80);
            c81 = av.fma(b1, c81);
            av = FloatVector.broadcast(F, pa[ai + 9]);
            c90 = av.fma(b0, c90);
            c91 = av.fma(b1, c91);
            av = FloatVector.broadcast(F, pa[ai + 10]);
            c100 = av.fma(b0, c100);
            c101 = av.fma(b1, c101);
            av = FloatVector.broadcast(F, pa[ai + 11]);
            c110 = av.fma(b0, c110);
            c111 = av.fma(b1, c111);
        }
        c00.intoArray(out, o + 0 * ld);
        c01.intoArray(out, o + 0 * ld + V);
        c10.intoArray(out, o + 1 * ld);
        c11.intoArray(out, o + 1 * ld + V);
        c20.intoArray(out, o + 2 * ld);
        c21.intoArray(out, o + 2 * ld + V);
        c30.intoArray(out, o + 3 * ld);
        c31.intoArray(out, o + 3 * ld + V);
        c40.intoArray(out, o + 4 * ld);
        c41.intoArray(out, o + 4 * ld + V);
        c50.intoArray(out, o + 5 * ld);
        c51.intoArray(out, o + 5 * ld + V);
        c60.intoArray(out, o + 6 * ld);
        c61.intoArray(out, o + 6 * ld + V);
        c70.intoArray(out, o + 7 * ld);
        c71.intoArray(out, o + 7 * ld + V);
        c80.intoArray(out, o + 8 * ld);
        c81.intoArray(out, o + 8 * ld + V);
        c90.intoArray(out, o + 9 * ld);
        c91.intoArray(out, o + 9 * ld + V);
        c100.intoArray(out, o + 10 * ld);
        c101.intoArray(out, o + 10 * ld + V);
        c110.intoArray(out, o + 11 * ld);
        c111.intoArray(out, o + 11 * ld + V);
    }

    /** {@link #tileWide} one vector wide: out[i, j:j+V] for the MR_WIDE rows of one packed panel. */
    private static void tileNarrow(int kk, float[] pa, int aIdx, float[] xp, int[] off, int j, float[] out, int o, int ld) {
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        FloatVector c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F);
        FloatVector c4 = FloatVector.zero(F);
        FloatVector c5 = FloatVector.zero(F);
        FloatVector c6 = FloatVector.zero(F);
        FloatVector c7 = FloatVector.zero(F);
        FloatVector c8 = FloatVector.zero(F);
        FloatVector c9 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F);
        FloatVector c11 = FloatVector.zero(F);
        for (int t = 0; t < kk; t++) {
            int ai = aIdx + t * MR_WIDE;
            FloatVector b0 = FloatVector.fromArray(F, xp, off[t] + j);
            c0 = FloatVector.broadcast(F, pa[ai + 0]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, pa[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, pa[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, pa[ai + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(F, pa[ai + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(F, pa[ai + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(F, pa[ai + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(F, pa[ai + 7]).fma(b0, c7);
            c8 = FloatVector.broadcast(F, pa[ai + 8]).fma(b0, c8);
            c9 = FloatVector.broadcast(F, pa[ai + 9]).fma(b0, c9);
            c10 = FloatVector.broadcast(F, pa[ai + 10]).fma(b0, c10);
            c11 = FloatVector.broadcast(F, pa[ai + 11]).fma(b0, c11);
        }
        c0.intoArray(out, o + 0 * ld);
        c1.intoArray(out, o + 1 * ld);
        c2.intoArray(out, o + 2 * ld);
        c3.intoArray(out, o + 3 * ld);
        c4.intoArray(out, o + 4 * ld);
        c5.intoArray(out, o + 5 * ld);
        c6.intoArray(out, o + 6 * ld);
        c7.intoArray(out, o + 7 * ld);
        c8.intoArray(out, o + 8 * ld);
        c9.intoArray(out, o + 9 * ld);
        c10.intoArray(out, o + 10 * ld);
        c11.intoArray(out, o + 11 * ld);
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
