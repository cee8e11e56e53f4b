package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/**
 * Mean cross-entropy of softmax(logits) against integer labels, fused as PyTorch's F.cross_entropy:
 * L = (1/N) Σ_n [log Σ_j e^{z_nj} − z_{n,y_n}], computed with log-sum-exp. Backward: dL/dz = (softmax(z) − onehot(y))/N.
 * The labels are a tensor of N class indices made by the backend ({@code Backend.labels}), so a device
 * backend uploads them once per batch and the loss stays on the device.
 */
public final class SoftmaxCrossEntropyOp extends Op {
    private final Tensor labels;
    private Tensor prob;

    public SoftmaxCrossEntropyOp(Tensor labels) {
        this.labels = labels;
    }

    /** Checks, on the host before anything is uploaded, that every label is a class of {@code classes}. */
    public static void checkLabels(int[] labels, int n, int classes) {
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("cross-entropy: label " + labels[i] + " of row " + i + " is outside 0-" + (classes - 1));
            }
        }
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor logits = in[0];
        if (logits.rank() != 2 || logits.dim(0) != labels.numel()) {
            throw new IllegalArgumentException("cross-entropy: expected logits [" + labels.numel()
                    + ", classes] for " + labels.numel() + " labels, got " + logits.shapeString());
        }
        Tensor[] lossAndProb = Backends.current().softmaxCrossEntropy(logits, labels);
        prob = lossAndProb[1];
        return lossAndProb[0];
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        // dy is the seed of backward(), a host scalar: reading it costs no transfer
        return new Tensor[] {Backends.current().softmaxCrossEntropyBackward(prob, labels, dy.item())};
    }
}
