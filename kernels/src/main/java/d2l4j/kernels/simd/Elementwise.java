package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise arithmetic, same contract as {@link d2l4j.kernels.reference.Elementwise}: one IEEE
 * float operation per element in vector lanes, so results are bit-identical to the reference.
 */
public final class Elementwise implements d2l4j.kernels.ElementwiseKernels {

    private static final VectorSpecies<Float> F = Machine.F;
    private static final int V = F.length();

    // y = a + b
    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
    }

    // y = a − b
    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = a[aOff + i] - b[bOff + i];
    }

    // y = a · b
    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = a[aOff + i] * b[bOff + i];
    }

    // y += v (in place)
    @Override
    public void addScalar(float[] y, int yOff, int len, float v) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, y, yOff + i).add(v).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] += v;
    }

    // y *= v (in place)
    @Override
    public void scale(float[] y, int yOff, int len, float v) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, y, yOff + i).mul(v).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] *= v;
    }

    /**
     * Σ_i x[i] in a fixed order that does not depend on the vector width (so the same input gives the same bits on
     * AVX2 and AVX-512, though not the reference's left-to-right bits): see {@link #laneSum}.
     */
    @Override
    public float sum(float[] x, int off, int len) {
        return laneSum(x, off, len);
    }

    /** The logical lanes of {@link #laneSum}: 16 whatever the vector width V (which divides it). */
    static final int LANES = 16;

    /**
     * Σ_i x[i] in 16 logical lanes: lane l sums x[l], x[l + 16], x[l + 32], ... over the first ⌊len/16⌋·16 elements,
     * held in 16/V vectors; then the lanes are added in order l = 0..15 (not reduceLanes, whose order is
     * unspecified), then the tail left to right. Each lane's chain is the same for V = 4, 8 or 16, so the result is.
     */
    static float laneSum(float[] x, int off, int len) {
        int full = len / LANES * LANES;
        float s = 0f;
        for (int part = 0; part < LANES; part += V) {
            FloatVector acc = FloatVector.zero(F);
            for (int i = part; i < full; i += LANES) acc = acc.add(FloatVector.fromArray(F, x, off + i));
            for (int l = 0; l < V; l++) s += acc.lane(l);
        }
        for (int i = full; i < len; i++) s += x[off + i];
        return s;
    }

    // w ← fma(−lr, g, w): one rounding per element, as the reference and PyTorch, so weights match bit for bit.
    @Override
    public void sgdUpdate(float[] w, int wOff, float[] g, int gOff, int len, float lr) {
        float minusLr = -lr;
        FloatVector step = FloatVector.broadcast(F, minusLr);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, g, gOff + i).fma(step, FloatVector.fromArray(F, w, wOff + i)).intoArray(w, wOff + i);
        }
        for (; i < len; i++) w[wOff + i] = Math.fma(minusLr, g[gOff + i], w[wOff + i]);
    }
}
