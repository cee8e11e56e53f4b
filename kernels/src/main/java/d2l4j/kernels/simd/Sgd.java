package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** SGD step, same contract as {@link d2l4j.kernels.reference.Sgd}. */
public final class Sgd {
    private Sgd() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    // w ← fma(−lr, g, w): one rounding per element, as the reference and PyTorch, so weights match bit for bit.
    public static void update(float[] w, int wOff, float[] g, int gOff, int len, float lr) {
        float minusLr = -lr;
        FloatVector step = FloatVector.broadcast(F, minusLr);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, g, gOff + i).fma(step, FloatVector.fromArray(F, w, wOff + i)).intoArray(w, wOff + i);
        }
        for (; i < len; i++) w[wOff + i] = Math.fma(minusLr, g[gOff + i], w[wOff + i]);
    }
}
