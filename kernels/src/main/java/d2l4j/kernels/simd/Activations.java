package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise activations, same contract as {@link d2l4j.kernels.reference.Activations}; safe in
 * place. Only sigmoidForward differs from the reference in bits: it uses {@link Exp} (within 1-2 ulp
 * of Math.exp, and the same whether interpreted or compiled, which the lanewise EXP is not).
 */
public final class Activations implements d2l4j.kernels.ActivationKernels {

    private static final VectorSpecies<Float> F = Machine.F;

    // y = σ(x) = 1 / (1 + e^(−x))
    @Override
    public void sigmoidForward(float[] x, int xOff, float[] y, int yOff, int len) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector e = Exp.exp(FloatVector.fromArray(F, x, xOff + i).neg());
            one.div(e.add(1f)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = 1f / (1f + Exp.exp(-x[xOff + i]));
    }

    // σ' = σ·(1 − σ), so from the saved output: dx = dy·y·(1 − y)
    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector yv = FloatVector.fromArray(F, y, yOff + i);
            FloatVector.fromArray(F, dy, dyOff + i).mul(yv).mul(one.sub(yv)).intoArray(dx, dxOff + i);
        }
        for (; i < len; i++) {
            float yi = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * yi * (1f - yi);
        }
    }

    // y = max(x, 0) (lanewise MAX has Math.max semantics: NaN stays NaN)
    @Override
    public void reluForward(float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    // relu' = [x > 0]: dx = x > 0 ? dy : 0
    @Override
    public void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            var positive = FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(F, dy, dyOff + i), positive).intoArray(dx, dxOff + i);
        }
        for (; i < len; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
}
