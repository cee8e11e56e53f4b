package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/**
 * Inverted dropout, as PyTorch's in training mode: each element is zeroed with probability p and the
 * survivors are scaled by 1/(1 − p), so the expected value is unchanged: y = x · m, m ∈ {0, 1/(1−p)}.
 * Backward: dx = dy · m with the same mask. The mask is a function of (seed, epoch, step, layer) through
 * the Philox generator (Backend.dropoutMask), drawn where the backend computes: the same bits on every
 * device, and nothing to save to resume a run exactly.
 */
public final class DropoutOp extends Op {
    private final float p;
    private final long seed;
    private final int epoch, step, layer;
    private Tensor mask;

    public DropoutOp(float p, long seed, int epoch, int step, int layer) {
        this.p = p;
        this.seed = seed;
        this.epoch = epoch;
        this.step = step;
        this.layer = layer;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        mask = Backends.current().dropoutMask(in[0].shape(), p, seed, epoch, step, layer);
        return in[0].contiguous().mul(mask);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        return new Tensor[] {dy.contiguous().mul(mask)};
    }
}
