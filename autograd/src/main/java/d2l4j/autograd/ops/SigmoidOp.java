package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/** y = 1 / (1 + e^−x). Backward: dσ/dx = σ(x)(1 − σ(x)), so dx = dy·y·(1 − y) from the saved output. */
public final class SigmoidOp extends Op {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        y = Backends.current().sigmoid(in[0]);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        return new Tensor[] {Backends.current().sigmoidBackward(y, dy)};
    }
}
