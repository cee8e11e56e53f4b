package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;

/** Fully connected layer, PyTorch's nn.Linear: x [N, in] → y = x·Wᵀ + b [N, out], weight [out, in]. */
public class Linear extends Layer {
    private final int in, out;
    private final Parameter weight, bias;

    public Linear(int in, int out) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear: sizes must be positive, got " + in + " -> " + out);
        this.in = in;
        this.out = out;
        this.weight = registerParameter("weight", Parameter.zeros(out, in));
        this.bias = registerParameter("bias", Parameter.zeros(out));
    }

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        expect(s.length == 2 && s[1] == in, "input [N, " + in + "]", x);
        FlopCounter.add(2L * s[0] * in * out);
        return Functional.linear(x, weight, bias);
    }

    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }
    public int inFeatures() { return in; }
    public int outFeatures() { return out; }
}
