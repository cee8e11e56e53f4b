package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/**
 * Affine map, as torch.nn.functional.linear: y = x·Wᵀ + b with x [N,in], W [out,in], b [out] or null.
 * Backward: dx = dy·W, dW = dyᵀ·x, db = Σ_n dy[n].
 */
public final class LinearOp extends Op {
    private Tensor x, weight;
    private boolean hasBias;

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        weight = in[1];
        hasBias = in.length > 2 && in[2] != null;
        return Backends.current().linear(x, weight, hasBias ? in[2] : null);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        var backend = Backends.current();
        Tensor dx = needsGrad(0) ? backend.matmul(dy, false, weight, false) : null;
        Tensor dw = backend.matmul(dy, true, x, false);
        Tensor db = hasBias ? dy.sum(0, false) : null;
        return new Tensor[] {dx, dw, db};
    }
}
