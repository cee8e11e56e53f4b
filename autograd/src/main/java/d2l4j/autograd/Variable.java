package d2l4j.autograd;

import d2l4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A tensor that remembers how it was made. {@code data} is the value, {@code grad} the gradient of the
 * final scalar with respect to it (filled by {@link #backward()}), {@code creator} the {@link Op} that
 * produced it (null for leaves: inputs and parameters).
 */
public class Variable {
    private Tensor data;
    private Tensor grad;
    private Op creator;
    private final boolean requiresGrad;

    /** A leaf; {@code requiresGrad} marks it as something we want gradients for (a parameter). */
    public Variable(Tensor data, boolean requiresGrad) {
        this.data = data;
        this.requiresGrad = requiresGrad;
    }

    /** A constant input: no gradient. */
    public Variable(Tensor data) {
        this(data, false);
    }

    /** The output of {@code creator}; needs a gradient when any input does. */
    Variable(Tensor data, Op creator) {
        this.data = data;
        this.creator = creator;
        this.requiresGrad = true;
    }

    public Tensor data() {
        return data;
    }

    /** Replaces the value (used by optimizers and weight loading); shape must not change. */
    public void setData(Tensor t) {
        data.requireSameShape("setData", t);
        data = t;
    }

    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        grad = null;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public Op creator() {
        return creator;
    }

    public int[] shape() {
        return data.shape();
    }

    /** Adds {@code g} to the gradient: a variable used twice receives both contributions (fan-out). */
    void accumulate(Tensor g) {
        data.requireSameShape("gradient of " + describe(), g);
        grad = grad == null ? g : grad.add(g);
    }

    /**
     * Reverse-mode differentiation from this scalar: visit the graph in reverse topological order, so an
     * op's output gradient is complete before the op passes it on. Gradients of intermediate variables are
     * dropped once used (as PyTorch does), leaves keep theirs.
     */
    public void backward() {
        if (data.numel() != 1) {
            throw new IllegalStateException("backward() needs a scalar, got shape " + data.shapeString());
        }
        backward(Tensor.full(1f, data.shape()));
    }

    /** Backward from a non-scalar output with a given upstream gradient {@code seed} (same shape). */
    public void backward(Tensor seed) {
        List<Variable> order = topologicalOrder();
        accumulate(seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Variable v = order.get(i);
            Op op = v.creator;
            if (op == null || v.grad == null) continue;
            Tensor[] grads = op.backward(v.grad);
            Variable[] inputs = op.inputs();
            for (int j = 0; j < inputs.length; j++) {
                if (inputs[j] != null && inputs[j].requiresGrad && grads[j] != null) inputs[j].accumulate(grads[j]);
            }
            v.grad = null;
            v.creator = null; // frees what the op saved for backward; the graph is used once
        }
    }

    /** Depth-first post-order over creators, iterative so that deep graphs don't overflow the stack. */
    private List<Variable> topologicalOrder() {
        List<Variable> order = new ArrayList<>();
        Set<Variable> seen = new HashSet<>();
        List<Object[]> stack = new ArrayList<>();
        stack.add(new Object[] {this, 0});
        seen.add(this);
        while (!stack.isEmpty()) {
            Object[] top = stack.get(stack.size() - 1);
            Variable v = (Variable) top[0];
            int next = (Integer) top[1];
            Variable[] inputs = v.creator == null ? new Variable[0] : v.creator.inputs();
            if (next < inputs.length) {
                top[1] = next + 1;
                Variable in = inputs[next];
                if (in != null && in.requiresGrad && seen.add(in)) stack.add(new Object[] {in, 0});
            } else {
                order.add(v);
                stack.remove(stack.size() - 1);
            }
        }
        return order;
    }

    protected String describe() {
        return (creator == null ? "leaf" : creator.getClass().getSimpleName()) + data.shapeString();
    }

    @Override
    public String toString() {
        return "Variable(" + describe() + ")";
    }
}
