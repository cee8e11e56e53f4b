package d2l4j.kernels.reference;

/** Reductions over contiguous floats. */
public final class Reduce {
    private Reduce() {}

    // Σ_i x[i], accumulated in float strictly left to right (i = 0, 1, ..., len−1).
    public static float sum(float[] x, int off, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) s += x[off + i];
        return s;
    }
}
