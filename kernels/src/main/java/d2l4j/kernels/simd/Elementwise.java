package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise arithmetic, same contract as {@link d2l4j.kernels.reference.Elementwise}: one IEEE
 * float operation per element in vector lanes, so results are bit-identical to the reference.
 */
public final class Elementwise implements d2l4j.kernels.ElementwiseKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
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
     * Σ_i x[i] in a fixed order (so the same input always gives the same bits, though not the
     * reference's left-to-right bits): lane l of the accumulator sums x[l], x[l + V], x[l + 2V], ...
     * over the first loopBound(len) elements; then the lanes are added in order l = 0..V−1 (not
     * reduceLanes, whose order is unspecified), then the tail left to right.
     */
    @Override
    public float sum(float[] x, int off, int len) {
        return laneSum(x, off, len);
    }

    // the sum above, for the other kernels of this package
    static float laneSum(float[] x, int off, int len) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += V) acc = acc.add(FloatVector.fromArray(F, x, off + i));
        float s = 0f;
        for (int l = 0; l < V; l++) s += acc.lane(l);
        for (; i < len; i++) s += x[off + i];
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
