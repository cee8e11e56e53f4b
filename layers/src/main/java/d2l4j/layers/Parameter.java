package d2l4j.layers;

import d2l4j.autograd.Variable;
import d2l4j.tensor.Tensor;

/** A learnable tensor: a leaf {@link Variable} that always wants a gradient. */
public final class Parameter extends Variable {
    public Parameter(Tensor data) {
        super(data.contiguous(), true);
    }

    public static Parameter zeros(int... shape) {
        return new Parameter(Tensor.zeros(shape));
    }
}
