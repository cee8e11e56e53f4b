package d2l4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PhiloxTest {

    /**
     * Known answers from Random123's tests/kat_vectors, lines 27-29 (github.com/DEShawResearch/random123,
     * commit 9545ff6413f258be2f04c1d319d99aaef7521150); columns: name, rounds, counter (4 words),
     * key (2 words), expected (4 words).
     *
     * <pre>
     * philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000   6627e8d5 e169c58d bc57ac4c 9b00dbd8
     * philox4x32 10 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff   408f276d 41c83b0e a20bc7c6 6d5451fd
     * philox4x32 10 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0   d16cfe09 94fdcceb 5001e420 24126ea1
     * </pre>
     */
    @Test
    void matchesRandom123KnownAnswers() {
        int[][] cases = {
            {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
            {-1, -1, -1, -1, -1, -1, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
            {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
                0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
        };
        int[] out = new int[4];
        for (int[] c : cases) {
            Philox.block(c[0], c[1], c[2], c[3], c[4], c[5], out);
            assertArrayEquals(Arrays.copyOfRange(c, 6, 10), out, "counter " + Integer.toHexString(c[0]));
        }
    }

    /** Pins the layout: element 4b + lane is word lane of block (b, step, epoch, layer). */
    @Test
    void elementIsThresholdedWordOfItsBlock() {
        long seed = 0x1234_5678_9ABC_DEF0L;
        float p = 0.3f;
        float[] mask = new float[40];
        Philox.dropoutMask(mask, 0, mask.length, p, seed, 7, 11, 3);
        int[] w = new int[4];
        for (int i = 0; i < mask.length; i++) {
            Philox.block(i / 4, 11, 7, 3, 0x9ABC_DEF0, 0x1234_5678, w);
            boolean kept = Integer.toUnsignedLong(w[i % 4]) >= (long) Math.floor(p * 0x1p32);
            assertEquals(kept ? 1f / (1f - p) : 0f, mask[i], "element " + i);
        }
    }

    @Test
    void keepsAboutOneMinusPScaledByItsInverse() {
        for (float p : new float[] {0.5f, 0.1f}) {
            float[] mask = new float[1_000_000];
            Philox.dropoutMask(mask, 0, mask.length, p, 42L, 1, 2, 3);
            float keep = 1f / (1f - p);
            int kept = 0;
            for (float m : mask) {
                assertTrue(m == 0f || m == keep, "value " + m);
                if (m != 0f) kept++;
            }
            assertEquals(1 - p, kept / 1e6, 0.002, "kept fraction for p = " + p);
        }
    }

    @Test
    void zeroPKeepsEverything() {
        assertEquals(0, Philox.threshold(0f));
        float[] mask = new float[1001];
        Philox.dropoutMask(mask, 0, mask.length, 0f, -5L, 0, 0, 0);
        float[] ones = new float[mask.length];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, mask);
    }

    @Test
    void everyCoordinateChangesTheMask() {
        float[] base = mask(1000, 0.5f, 99L, 1, 2, 3);
        assertFalse(Arrays.equals(base, mask(1000, 0.5f, 98L, 1, 2, 3)), "seed, low word");
        assertFalse(Arrays.equals(base, mask(1000, 0.5f, 99L + (1L << 32), 1, 2, 3)), "seed, high word");
        assertFalse(Arrays.equals(base, mask(1000, 0.5f, -99L, 1, 2, 3)), "negative seed");
        assertFalse(Arrays.equals(base, mask(1000, 0.5f, 99L, 2, 2, 3)), "epoch");
        assertFalse(Arrays.equals(base, mask(1000, 0.5f, 99L, 1, 3, 3)), "step");
        assertFalse(Arrays.equals(base, mask(1000, 0.5f, 99L, 1, 2, 4)), "layer");
    }

    /** Counter-based: element i depends only on i, so a shorter mask is a prefix of a longer one. */
    @Test
    void shorterMaskIsAPrefix() {
        for (int n : new int[] {0, 1, 3, 4, 5, 1023}) {
            float[] longer = mask(n + 5, 0.4f, -7L, 5, 6, 7);
            assertArrayEquals(Arrays.copyOf(longer, n), mask(n, 0.4f, -7L, 5, 6, 7), "n = " + n);
        }
    }

    @Test
    void writesOnlyItsSliceAtTheOffset() {
        float[] big = new float[20];
        Arrays.fill(big, -1f);
        Philox.dropoutMask(big, 6, 9, 0.5f, 3L, 0, 0, 0);
        float[] expected = new float[20];
        Arrays.fill(expected, -1f);
        System.arraycopy(mask(9, 0.5f, 3L, 0, 0, 0), 0, expected, 6, 9);
        assertArrayEquals(expected, big);
    }

    @Test
    void rejectsBadArgumentsNamingTheValue() {
        for (float p : new float[] {-0.1f, 1f, Float.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> mask(4, p, 0L, 0, 0, 0));
            assertTrue(e.getMessage().contains("got " + p), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Philox.threshold(p));
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> Philox.dropoutMask(new float[4], 0, -1, 0.5f, 0L, 0, 0, 0));
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());
    }

    private static float[] mask(int n, float p, long seed, int epoch, int step, int layer) {
        float[] m = new float[n];
        Philox.dropoutMask(m, 0, n, p, seed, epoch, step, layer);
        return m;
    }
}
