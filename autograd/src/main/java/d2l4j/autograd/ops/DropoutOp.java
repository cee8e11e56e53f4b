package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Inverted dropout, as PyTorch's in training mode: each element is zeroed with probability p and the
 * survivors are scaled by 1/(1 − p), so the expected value is unchanged: y = x · m, m ∈ {0, 1/(1−p)}.
 * Backward: dx = dy · m with the same mask.
 */
public final class DropoutOp extends Op {
    private final float p;
    private final SplittableRandom rng;
    private Tensor mask;

    /** {@code rng} is the layer's own stream, so masks are reproducible from the seed. */
    public DropoutOp(float p, SplittableRandom rng) {
        this.p = p;
        this.rng = rng;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        float keep = 1f / (1f - p);
        float[] m = new float[in[0].numel()];
        for (int i = 0; i < m.length; i++) m[i] = rng.nextDouble() >= p ? keep : 0f;
        mask = Tensor.of(m, in[0].shape());
        return in[0].contiguous().mul(mask);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        return new Tensor[] {dy.contiguous().mul(mask)};
    }
}
