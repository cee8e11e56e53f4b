package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/** Matrix product of 2-D tensors, y = A·B with A [m,k], B [k,n]. Backward: dA = dy·Bᵀ, dB = Aᵀ·dy. */
public final class MatMulOp extends Op {
    private Tensor a, b;

    @Override
    protected Tensor forward(Tensor... in) {
        a = in[0];
        b = in[1];
        return Backends.current().matmul(a, false, b, false);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        var backend = Backends.current();
        return new Tensor[] {backend.matmul(dy, false, b, true), backend.matmul(a, true, dy, false)};
    }
}
