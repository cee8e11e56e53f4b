package d2l4j.kernels;

/**
 * The mean cross-entropy of softmax(logits) against class labels, fused (PyTorch's F.cross_entropy), and
 * its gradient. Implemented by {@link d2l4j.kernels.reference.SoftmaxCrossEntropy} and
 * {@link d2l4j.kernels.simd.SoftmaxCrossEntropy}. logits and prob are n×classes, row-major.
 */
public interface SoftmaxCrossEntropyKernels {

    // prob = softmax(logits) row by row; returns (1/n)·Σ_i −log prob[i, labels[i]]
    float forward(float[] logits, int off, int n, int classes, int[] labels, float[] prob, int probOff);

    // dLogits = dLoss·(prob − onehot(label))/n
    void backward(float[] prob, int probOff, int n, int classes, int[] labels, float dLoss, float[] dLogits, int dOff);
}
