package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Random inputs and float comparisons shared by the kernel tests. */
final class TestData {
    private TestData() {}

    /** len uniform floats in [−1, 1), reproducible from seed. */
    static float[] uniform(long seed, int len) {
        Random rnd = new Random(seed);
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = rnd.nextFloat() * 2f - 1f;
        return a;
    }

    /** Fails naming the first index where |expected − actual| > absTol + relTol·|expected|. */
    static void assertClose(String what, float[] expected, float[] actual, double relTol, double absTol) {
        if (expected.length != actual.length) fail(what + ": length " + expected.length + " vs " + actual.length);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (e == a) continue; // also equal infinities
            if (!(Math.abs(e - a) <= absTol + relTol * Math.abs(e))) {
                fail(what + ": at " + i + " expected " + e + " got " + a + " (|diff| " + Math.abs(e - a)
                        + " > " + (absTol + relTol * Math.abs(e)) + ")");
            }
        }
    }

    /** Bit-for-bit equality (Float.floatToIntBits, so NaN equals NaN, 0 differs from −0). */
    static void assertSameBits(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) fail(what + ": length " + expected.length + " vs " + actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": at " + i + " expected " + expected[i] + " got " + actual[i] + " (bits differ)");
            }
        }
    }
}
