package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The implicit convolution's other orientation: vector lanes across output channels, one pixel per accumulator
 * pair (the idea of oneDNN's channel-blocked nChw16c layout, kept inside the kernel: the tensors stay NCHW).
 *
 * <p>{@link ImplicitConv}'s row tile puts NR output columns of whole padded rows in the lanes; on small maps most
 * of those columns are padding (a 3×3 map padded by 2 for a 5×5 kernel: 32 columns of work for 9 outputs). Here a
 * tile is MP output pixels × NR output channels, the pixels taken from the map in order whatever row they lie on,
 * so only the last tile of a map is partly empty:
 * <pre>
 *   yT[j, i] = Σ_(c,r,s) xp[off(c,r,s) + pix(j)] · W[i,(c,r,s)],   pix(j) = (j / Q)·Wp + j % Q,  j &lt; P·Q
 *   y[i, j]  = yT[j, i] (+ bias[i])
 * </pre>
 * with xp, off and the packed weights exactly as in {@link ImplicitConv} (panels of NR rows: pa[t, 0:NR] is
 * W[0:NR, t]). Each output is one FMA chain over (c, r, s) in order, then + bias: the same bits as the row tile
 * and as im2col + {@link Gemm}. The channels of a panel past m are zero weights (wasted lanes).
 *
 * <p>Its inner step reads the two weight vectors and MP scalars of xp at scattered offsets (an index each),
 * where the row tile reads packed, consecutive scalars: per lane it runs at 0.6-0.75 of the row tile's speed, so
 * {@link ImplicitConv#channelLanes} gives it only the products where the row tile's padded columns cost more
 * (measured: bench/notes/convolution-paths.md).
 */
final class ChannelLanes {
    private ChannelLanes() {}

    private static final VectorSpecies<Float> F = Machine.F;
    private static final int V = F.length();
    /** Channels of a tile: two vectors. */
    static final int NR = 2 * V;
    /**
     * Pixels of a tile: MP × 2 accumulators + 2 weight vectors + 1 broadcast, 12 × 2 + 3 = 27 of 32 registers,
     * 6 × 2 + 3 = 15 of AVX2's 16.
     */
    static final int MP = Machine.REGISTERS >= 32 ? 12 : 6;

    /** The pixel offsets pix(j) of a P×Q map in xp (row length wp), repeated to a multiple of MP with the last one. */
    static int[] pixels(int[] reuse, int p, int q, int wp) {
        int pq = p * q, size = ImplicitConv.roundUp(pq, MP);
        int[] pix = reuse.length >= size ? reuse : new int[size];
        for (int j = 0; j < size; j++) {
            int jj = Math.min(j, pq - 1);
            pix[j] = jj / q * wp + jj % q;
        }
        return pix;
    }

    /**
     * out[outOff + i·P·Q + j] = yT[j, i] (+ bias[i]) for the m channels of one image, yT (roundUp(P·Q, MP) ×
     * roundUp(m, NR), row length ld) computed here from the packed weights pa and the padded image xp.
     */
    static void convolve(int m, int kk, float[] pa, float[] xp, int[] off, int[] pix, int pq, float[] yT, float[] bias,
                         float[] out, int outOff) {
        int ld = ImplicitConv.roundUp(m, NR), tiles = ImplicitConv.roundUp(pq, MP);
        for (int i = 0; i < ld; i += NR) { // one panel of weights, reused by every tile of pixels
            for (int j = 0; j < tiles; j += MP) {
                if (MP == 12) tile12(kk, pa, i * kk, xp, off, pix, j, yT, j * ld + i, ld);
                else tile6(kk, pa, i * kk, xp, off, pix, j, yT, j * ld + i, ld);
            }
        }
        for (int i = 0; i < m; i++) {
            float b = bias == null ? 0f : bias[i];
            int dst = outOff + i * pq;
            if (bias == null) for (int j = 0; j < pq; j++) out[dst + j] = yT[j * ld + i];
            else for (int j = 0; j < pq; j++) out[dst + j] = yT[j * ld + i] + b;
        }
    }

    /** out[j + i, 0:NR] = Σ_t xp[off[t] + pix[j + i]] · pa[t, 0:NR] for the 12 pixels i of one tile: 12 × 2 accumulators. */
    private static void tile12(int kk, float[] pa, int aIdx, float[] xp, int[] off, int[] pix, int j, float[] out, int o, int ld) {
        int p0 = pix[j + 0], p1 = pix[j + 1], p2 = pix[j + 2], p3 = pix[j + 3], p4 = pix[j + 4], p5 = pix[j + 5], p6 = pix[j + 6], p7 = pix[j + 7], p8 = pix[j + 8], p9 = pix[j + 9], p10 = pix[j + 10], p11 = pix[j + 11];
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
            int ai = aIdx + t * NR, b = off[t];
            FloatVector w0 = FloatVector.fromArray(F, pa, ai), w1 = FloatVector.fromArray(F, pa, ai + V);
            FloatVector xv;
            xv = FloatVector.broadcast(F, xp[b + p0]);
            c00 = xv.fma(w0, c00);
            c01 = xv.fma(w1, c01);
            xv = FloatVector.broadcast(F, xp[b + p1]);
            c10 = xv.fma(w0, c10);
            c11 = xv.fma(w1, c11);
            xv = FloatVector.broadcast(F, xp[b + p2]);
            c20 = xv.fma(w0, c20);
            c21 = xv.fma(w1, c21);
            xv = FloatVector.broadcast(F, xp[b + p3]);
            c30 = xv.fma(w0, c30);
            c31 = xv.fma(w1, c31);
            xv = FloatVector.broadcast(F, xp[b + p4]);
            c40 = xv.fma(w0, c40);
            c41 = xv.fma(w1, c41);
            xv = FloatVector.broadcast(F, xp[b + p5]);
            c50 = xv.fma(w0, c50);
            c51 = xv.fma(w1, c51);
            xv = FloatVector.broadcast(F, xp[b + p6]);
            c60 = xv.fma(w0, c60);
            c61 = xv.fma(w1, c61);
            xv = FloatVector.broadcast(F, xp[b + p7]);
            c70 = xv.fma(w0, c70);
            c71 = xv.fma(w1, c71);
            xv = FloatVector.broadcast(F, xp[b + p8]);
            c80 = xv.fma(w0, c80);
            c81 = xv.fma(w1, c81);
            xv = FloatVector.broadcast(F, xp[b + p9]);
            c90 = xv.fma(w0, c90);
            c91 = xv.fma(w1, c91);
            xv = FloatVector.broadcast(F, xp[b + p10]);
            c100 = xv.fma(w0, c100);
            c101 = xv.fma(w1, c101);
            xv = FloatVector.broadcast(F, xp[b + p11]);
            c110 = xv.fma(w0, c110);
            c111 = xv.fma(w1, c111);
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

    /** out[j + i, 0:NR] = Σ_t xp[off[t] + pix[j + i]] · pa[t, 0:NR] for the 6 pixels i of one tile: 6 × 2 accumulators. */
    private static void tile6(int kk, float[] pa, int aIdx, float[] xp, int[] off, int[] pix, int j, float[] out, int o, int ld) {
        int p0 = pix[j + 0], p1 = pix[j + 1], p2 = pix[j + 2], p3 = pix[j + 3], p4 = pix[j + 4], p5 = pix[j + 5];
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int t = 0; t < kk; t++) {
            int ai = aIdx + t * NR, b = off[t];
            FloatVector w0 = FloatVector.fromArray(F, pa, ai), w1 = FloatVector.fromArray(F, pa, ai + V);
            FloatVector xv;
            xv = FloatVector.broadcast(F, xp[b + p0]);
            c00 = xv.fma(w0, c00);
            c01 = xv.fma(w1, c01);
            xv = FloatVector.broadcast(F, xp[b + p1]);
            c10 = xv.fma(w0, c10);
            c11 = xv.fma(w1, c11);
            xv = FloatVector.broadcast(F, xp[b + p2]);
            c20 = xv.fma(w0, c20);
            c21 = xv.fma(w1, c21);
            xv = FloatVector.broadcast(F, xp[b + p3]);
            c30 = xv.fma(w0, c30);
            c31 = xv.fma(w1, c31);
            xv = FloatVector.broadcast(F, xp[b + p4]);
            c40 = xv.fma(w0, c40);
            c41 = xv.fma(w1, c41);
            xv = FloatVector.broadcast(F, xp[b + p5]);
            c50 = xv.fma(w0, c50);
            c51 = xv.fma(w1, c51);
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
    }
}
