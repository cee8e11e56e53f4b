package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/** y = max(x, 0). Backward: dx = dy where x &gt; 0, else 0 (PyTorch's choice of 0 at x = 0). */
public final class ReluOp extends Op {
    private Tensor x;

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        return Backends.current().relu(x);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        return new Tensor[] {Backends.current().reluBackward(x, dy)};
    }
}
