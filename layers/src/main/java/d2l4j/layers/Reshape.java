package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;
import java.util.Arrays;

/** A fixed reshape (one dimension may be −1), as d2l's LeNet uses to turn [N, 784] into [N, 1, 28, 28]. */
public class Reshape extends Layer {
    private final int[] shape;

    public Reshape(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    public Variable forward(Variable x) {
        try {
            return Functional.reshape(x, shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label() + ": expected input reshapeable to " + Arrays.toString(shape)
                    + ", got " + x.data().shapeString(), e);
        }
    }
}
