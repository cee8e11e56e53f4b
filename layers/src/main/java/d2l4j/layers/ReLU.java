package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;

/** max(x, 0), elementwise. */
public class ReLU extends Layer {
    @Override
    public Variable forward(Variable x) {
        return Functional.relu(x);
    }
}
