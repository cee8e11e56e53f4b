package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Reductions over contiguous floats. */
public final class Reduce {
    private Reduce() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int V = F.length();

    /**
     * Σ_i x[i] in a fixed order (so the same input always gives the same bits, though not the
     * reference's left-to-right bits): lane l of the accumulator sums x[l], x[l + V], x[l + 2V], ...
     * over the first loopBound(len) elements; then the lanes are added in order l = 0..V−1 (not
     * reduceLanes, whose order is unspecified), then the tail left to right.
     */
    public static float sum(float[] x, int off, int len) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += V) acc = acc.add(FloatVector.fromArray(F, x, off + i));
        float s = 0f;
        for (int l = 0; l < V; l++) s += acc.lane(l);
        for (; i < len; i++) s += x[off + i];
        return s;
    }
}
