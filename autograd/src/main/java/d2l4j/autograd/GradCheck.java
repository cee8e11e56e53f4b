package d2l4j.autograd;

import d2l4j.tensor.Tensor;
import java.util.function.Function;

/**
 * Numeric gradient check: compares the gradients from {@link Variable#backward} with central differences
 * (L(x + εe_i) − L(x − εe_i)) / 2ε of the scalar L = Σ f(inputs) ⊙ w, where w is a fixed weighting so
 * that every output element matters differently. Float32 forward passes limit the accuracy, hence the
 * tolerances are parameters.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * @param f         the function under test, from variables to an output variable
     * @param inputs    values of the inputs; gradients are checked for those with {@code wantGrad[i]}
     * @param maxChecks at most this many elements per input are probed (spread evenly)
     * @throws AssertionError naming the input, element, analytic and numeric values on a mismatch
     */
    public static void check(Function<Variable[], Variable> f, Tensor[] inputs, boolean[] wantGrad,
                             float eps, double atol, double rtol, int maxChecks) {
        Variable[] vars = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) vars[i] = inputs[i] == null ? null : new Variable(inputs[i].contiguous(), wantGrad[i]);
        Variable y = f.apply(vars);
        Tensor w = weights(y.data().numel()).reshape(y.shape());
        Functional.sum(Functional.mul(y, new Variable(w))).backward();

        for (int i = 0; i < inputs.length; i++) {
            if (!wantGrad[i] || vars[i] == null) continue;
            Tensor analytic = vars[i].grad();
            float[] x = vars[i].data().data();
            int n = vars[i].data().numel();
            int step = Math.max(1, n / maxChecks);
            for (int e = 0; e < n; e += step) {
                float saved = x[e];
                x[e] = saved + eps;
                double plus = loss(f, vars, w);
                x[e] = saved - eps;
                double minus = loss(f, vars, w);
                x[e] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic == null ? 0 : analytic.contiguous().data()[analytic.contiguous().offset() + e];
                if (Math.abs(a - numeric) > atol + rtol * Math.abs(numeric)) {
                    throw new AssertionError("gradient of input " + i + " " + vars[i].data().shapeString() + " at element "
                            + e + ": backward gives " + a + ", central difference gives " + numeric);
                }
            }
        }
    }

    private static double loss(Function<Variable[], Variable> f, Variable[] vars, Tensor w) {
        try (var g = NoGrad.open()) {
            Tensor y = f.apply(vars).data().contiguous();
            double s = 0;
            for (int j = 0; j < y.numel(); j++) s += (double) y.data()[y.offset() + j] * w.data()[j];
            return s;
        }
    }

    /** Deterministic weights in [0.5, 1.5), varied so that errors in one element cannot cancel another's. */
    private static Tensor weights(int n) {
        float[] w = new float[n];
        for (int j = 0; j < n; j++) w[j] = 0.5f + (float) (((j * 0.6180339887) % 1.0));
        return Tensor.of(w, n);
    }
}
