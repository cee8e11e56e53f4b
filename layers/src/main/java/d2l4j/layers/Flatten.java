package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;

/** [N, d1, d2, ...] → [N, d1·d2·...], as PyTorch's nn.Flatten. */
public class Flatten extends Layer {
    @Override
    public Variable forward(Variable x) {
        expect(x.shape().length >= 1, "input with a batch dimension", x);
        return Functional.reshape(x, x.shape()[0], -1);
    }
}
