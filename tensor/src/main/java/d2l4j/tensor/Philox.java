package d2l4j.tensor;

import java.util.Objects;

/**
 * Philox-4x32-10, the counter-based random generator of Salmon, Moraes, Dror and Shaw, "Parallel
 * random numbers: as easy as 1, 2, 3" (SC'11), as in Random123's {@code philox4x32_R(10, ctr, key)}.
 * A counter-based generator is a keyed bijection of the counter: word i of a stream depends only on
 * (counter, key), not on a state advanced by earlier draws, so the plain Java, Vector API and OpenCL
 * backends draw the same bits in whatever order and on however many threads they like.
 *
 * <pre>
 * counter c = (c0, c1, c2, c3), key k = (k0, k1), all uint32 (Java int, arithmetic mod 2^32)
 * M0 = 0xD2511F53, M1 = 0xCD9E8D57        multipliers
 * W0 = 0x9E3779B9, W1 = 0xBB67AE85        Weyl key increments (golden ratio, sqrt(3) - 1)
 *
 * repeat 10 times:
 *   (hi0, lo0) = M0 · c0                  the 64-bit product, high and low word
 *   (hi1, lo1) = M1 · c2
 *   c = (hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0)
 *   k0 += W0;  k1 += W1                   (the bump after round 10 is never used)
 * output c
 * </pre>
 *
 * Random123 bumps the key before rounds 2..10 instead of after rounds 1..9, the same sequence.
 */
public final class Philox {
    private Philox() {}

    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final long U32 = 0xFFFF_FFFFL;

    /** out[0..3] = Philox4x32-10(counter (c0, c1, c2, c3), key (k0, k1)), uint32 words as int. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            // The unsigned 32x32 product fits 64 bits; long multiplication is exact mod 2^64, so the
            // words come out right even where the product reads as a negative long.
            long p0 = M0 * (c0 & U32);
            long p1 = M1 * (c2 & U32);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /**
     * The uint32 cut of a drop probability: a word u is dropped when u &lt; threshold, so
     * P(drop) = threshold / 2^32 = p up to 2^-32. threshold = min(2^32 − 1, ⌊p · 2^32⌋), in double,
     * where p · 2^32 is exact; p = 0 gives 0, which drops nothing.
     */
    public static int threshold(float p) {
        checkP("threshold", p);
        double t = Math.min(4294967295.0, Math.floor(p * 4294967296.0));
        return (int) (long) t; // through long: (int) of a double above 2^31 − 1 would saturate
    }

    /**
     * d2l4j's dropout mask, the one definition every backend follows: for 0 ≤ i &lt; n,
     *
     * <pre>
     * b = i / 4, lane = i % 4                 four mask elements per Philox block
     * counter = (b, step, epoch, layer), key = ((int) seed, (int) (seed >>> 32))
     * u = word lane of Philox4x32-10(counter, key), unsigned
     * mask[offset + i] = u >= threshold(p) ? 1f / (1f - p) : 0f
     * </pre>
     *
     * Element i depends only on i (not on n), so a mask is a prefix of any longer one. Kept elements
     * are scaled by 1 / (1 − p) so the expected activation is unchanged ("inverted" dropout).
     *
     * @throws IllegalArgumentException unless 0 ≤ p &lt; 1 and n ≥ 0
     */
    public static void dropoutMask(float[] mask, int offset, int n, float p, long seed, int epoch,
                                   int step, int layer) {
        checkP("dropoutMask", p);
        if (n < 0) {
            throw new IllegalArgumentException("Philox.dropoutMask: expected n >= 0, got " + n);
        }
        Objects.checkFromIndexSize(offset, n, mask.length);
        int t = threshold(p);
        float keep = 1f / (1f - p);
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        int[] words = new int[4];
        int blocks = (int) (((long) n + 3) / 4); // in long: n + 3 overflows for n near 2^31
        for (int b = 0; b < blocks; b++) {
            block(b, step, epoch, layer, k0, k1, words);
            int base = 4 * b, lanes = Math.min(4, n - base);
            for (int lane = 0; lane < lanes; lane++) {
                mask[offset + base + lane] = Integer.compareUnsigned(words[lane], t) >= 0 ? keep : 0f;
            }
        }
    }

    private static void checkP(String method, float p) {
        if (!(p >= 0f && p < 1f)) { // also false for NaN
            throw new IllegalArgumentException(
                    "Philox." + method + ": expected a drop probability 0 <= p < 1, got " + p);
        }
    }
}
