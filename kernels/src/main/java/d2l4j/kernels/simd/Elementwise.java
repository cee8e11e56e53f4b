package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise arithmetic, same contract as {@link d2l4j.kernels.reference.Elementwise}: one IEEE
 * float operation per element in vector lanes, so results are bit-identical to the reference.
 */
public final class Elementwise {
    private Elementwise() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    // y = a + b
    public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
    }

    // y = a − b
    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = a[aOff + i] - b[bOff + i];
    }

    // y = a · b
    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = a[aOff + i] * b[bOff + i];
    }

    // y += v (in place)
    public static void addScalar(float[] y, int yOff, int len, float v) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, y, yOff + i).add(v).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] += v;
    }

    // y *= v (in place)
    public static void scale(float[] y, int yOff, int len, float v) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, y, yOff + i).mul(v).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] *= v;
    }
}
