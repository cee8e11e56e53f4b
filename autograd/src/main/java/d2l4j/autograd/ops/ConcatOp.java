package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/**
 * Concatenation along one dimension (torch.cat), as Inception joins its four paths along channels.
 * Backward: input i receives its own slice of dy.
 */
public final class ConcatOp extends Op {
    private final int dim;
    private int[] sizes;

    public ConcatOp(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        sizes = new int[in.length];
        for (int i = 0; i < in.length; i++) sizes[i] = in[i].dim(dim);
        return Backends.current().cat(dim, in);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        Tensor[] grads = new Tensor[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            grads[i] = Backends.current().narrow(dy, dim, at, sizes[i]);
            at += sizes[i];
        }
        return grads;
    }
}
