package d2l4j.testkit;

/**
 * Deterministic "random" values from an integer hash, bit for bit the same as the {@code hash_unit}
 * and {@code hash_uniform} functions of {@code src/reference/make_reference.py}, so tests and the
 * PyTorch reference data share weights and inputs without storing them.
 *
 * <pre>
 * for i in [0, n):
 *   x = uint32(i * 0x9E3779B1 + seed * 0x85EBCA77)
 *   x ^= x >>> 15;  x = uint32(x * 0x2C1B3C6D)
 *   x ^= x >>> 12;  x = uint32(x * 0x297A2D39)
 *   x ^= x >>> 15
 *   u = (x >>> 8) * 2^-24                        exact float32 in [0, 1)
 *   value = float32(float32(2u - 1) * scale)     in [-scale, scale)
 * </pre>
 *
 * Java's {@code int} arithmetic wraps modulo 2^32 and {@code >>>} is the unsigned shift, so the
 * formula is integer-exact here; {@code 2u - 1} is exact in float32 and the product rounds once.
 */
public final class HashFill {
    private HashFill() {}

    /** The 32-bit hash of index {@code i} under {@code seed} (the {@code x} of the formula). */
    public static int bits(int seed, int i) {
        int x = i * 0x9E3779B1 + seed * 0x85EBCA77;
        x ^= x >>> 15;
        x *= 0x2C1B3C6D;
        x ^= x >>> 12;
        x *= 0x297A2D39;
        x ^= x >>> 15;
        return x;
    }

    /** {@code n} values u = (bits >>> 8) * 2^-24 in [0, 1), each exact in float32. */
    public static float[] unit(int seed, int n) {
        checkCount(n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (bits(seed, i) >>> 8) * 0x1p-24f;
        }
        return out;
    }

    /** {@code n} values float32((2u - 1) * scale) in [-scale, scale) for a non-negative scale. */
    public static float[] uniform(int seed, int n, float scale) {
        checkCount(n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float u = (bits(seed, i) >>> 8) * 0x1p-24f;
            out[i] = (2f * u - 1f) * scale;
        }
        return out;
    }

    private static void checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("HashFill: expected a count >= 0, got " + n);
        }
    }
}
