package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Tensor;

/** Sum (or mean) of all elements to a scalar. Backward: every element gets dy (or dy/numel). */
public final class SumOp extends Op {
    private final boolean mean;
    private int[] shape;

    public SumOp(boolean mean) {
        this.mean = mean;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        shape = in[0].shape();
        return mean ? in[0].mean() : in[0].sum();
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        float g = dy.item();
        if (mean) g /= d2l4j.tensor.Shape.numel(shape);
        return new Tensor[] {Tensor.full(g, shape)};
    }
}
