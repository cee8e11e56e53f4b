package d2l4j.autograd;

import d2l4j.tensor.Tensor;

/**
 * One differentiable operation, one instance per call. A subclass computes its forward result in
 * {@link #forward}, keeps in its fields what the backward pass needs, and returns from {@link #backward}
 * one gradient per input (null where an input needs none), side by side with the forward code.
 */
public abstract class Op {
    private Variable[] inputs;

    /** The forward computation on plain tensors; the inputs are those given to {@link #apply}. */
    protected abstract Tensor forward(Tensor... inputs);

    /** Given dL/d(output), returns dL/d(input i) for each input, in order. */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /**
     * Runs the op and links the result into the graph when gradients are wanted (some input requires
     * one and we are not inside {@link NoGrad}). Null inputs (an absent bias) are passed through as null.
     */
    public final Variable apply(Variable... in) {
        Tensor[] values = new Tensor[in.length];
        boolean needsGrad = false;
        for (int i = 0; i < in.length; i++) {
            values[i] = in[i] == null ? null : in[i].data();
            needsGrad |= in[i] != null && in[i].requiresGrad();
        }
        Tensor out = forward(values);
        if (!needsGrad || !NoGrad.isGradEnabled()) return new Variable(out);
        this.inputs = in;
        return new Variable(out, this);
    }

    /**
     * Whether input i wants a gradient (it requires one); backward may return null for it otherwise, and
     * skip the work, as PyTorch's output_mask does (the images fed to a network's first layer need none).
     */
    protected final boolean needsGrad(int i) {
        return inputs != null && i < inputs.length && inputs[i] != null && inputs[i].requiresGrad();
    }

    Variable[] inputs() {
        return inputs;
    }
}
