package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;

/** σ(x) = 1 / (1 + e^−x), elementwise. */
public class Sigmoid extends Layer {
    @Override
    public Variable forward(Variable x) {
        return Functional.sigmoid(x);
    }
}
