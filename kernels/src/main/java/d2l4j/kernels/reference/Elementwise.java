package d2l4j.kernels.reference;

/**
 * Elementwise arithmetic on {@code len} contiguous floats; y may alias a or b (same offset).
 * One IEEE float operation per element, so the simd twins give bit-identical results.
 */
public final class Elementwise {
    private Elementwise() {}

    // y = a + b
    public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
    }

    // y = a − b
    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = a[aOff + i] - b[bOff + i];
    }

    // y = a · b
    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = a[aOff + i] * b[bOff + i];
    }

    // y += v (in place)
    public static void addScalar(float[] y, int yOff, int len, float v) {
        for (int i = 0; i < len; i++) y[yOff + i] += v;
    }

    // y *= v (in place)
    public static void scale(float[] y, int yOff, int len, float v) {
        for (int i = 0; i < len; i++) y[yOff + i] *= v;
    }
}
