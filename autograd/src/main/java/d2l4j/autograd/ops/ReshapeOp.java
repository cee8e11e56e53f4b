package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Tensor;

/** A view with another shape (one dimension may be −1). Backward: reshape dy back to the input's shape. */
public final class ReshapeOp extends Op {
    private final int[] shape;
    private int[] inputShape;

    public ReshapeOp(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return in[0].reshape(shape);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        return new Tensor[] {dy.reshape(inputShape)};
    }
}
