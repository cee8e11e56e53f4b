package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/**
 * Mean cross-entropy of softmax(logits) against integer labels, fused as PyTorch's F.cross_entropy:
 * L = (1/N) Σ_n [log Σ_j e^{z_nj} − z_{n,y_n}], computed with log-sum-exp. Backward: dL/dz = (softmax(z) − onehot(y))/N.
 */
public final class SoftmaxCrossEntropyOp extends Op {
    private final int[] labels;
    private Tensor prob;

    public SoftmaxCrossEntropyOp(int[] labels) {
        this.labels = labels;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor logits = in[0];
        if (logits.rank() != 2 || logits.dim(0) != labels.length) {
            throw new IllegalArgumentException("cross-entropy: expected logits [" + labels.length
                    + ", classes] for " + labels.length + " labels, got " + logits.shapeString());
        }
        prob = Tensor.zeros(logits.shape());
        return Tensor.scalar(Backends.current().softmaxCrossEntropy(logits, labels, prob));
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        return new Tensor[] {Backends.current().softmaxCrossEntropyBackward(prob, labels, dy.item())};
    }
}
