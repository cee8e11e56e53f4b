package d2l4j.kernels.reference;

/**
 * Softmax followed by the mean cross-entropy over n rows of {@code classes} logits (n×classes,
 * row-major), as torch.nn.CrossEntropyLoss(reduction='mean') with integer class labels.
 */
public final class SoftmaxCrossEntropy implements d2l4j.kernels.SoftmaxCrossEntropyKernels {

    /**
     * prob[i,j] = e^(z[i,j] − m_i) / Σ_j e^(z[i,j] − m_i) with m_i = max_j z[i,j] (stable for any
     * finite logits); returns (1/n) Σ_i (logsumexp(z_i) − z[i,label_i]), where
     * logsumexp(z_i) − z[i,l] = log Σ_j e^(z[i,j] − m_i) − (z[i,l] − m_i). The mean is taken in double.
     * Writes prob (n×classes).
     */
    @Override
    public float forward(float[] logits, int off, int n, int classes, int[] labels, float[] prob, int probOff) {
        checkLabels(n, classes, labels);
        double total = 0;
        for (int i = 0; i < n; i++) {
            int z = off + i * classes, pr = probOff + i * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) max = Math.max(max, logits[z + j]);
            float sum = 0f;
            for (int j = 0; j < classes; j++) {
                float e = (float) Math.exp(logits[z + j] - max);
                prob[pr + j] = e;
                sum += e;
            }
            for (int j = 0; j < classes; j++) prob[pr + j] /= sum;
            total += Math.log(sum) - (logits[z + labels[i]] - max);
        }
        return (float) (total / n);
    }

    // dL/dz[i,j] = (1/n)·(softmax(z_i)[j] − [j == label_i]), scaled by the upstream dLoss.
    // Writes dLogits (n×classes).
    @Override
    public void backward(float[] prob, int probOff, int n, int classes, int[] labels, float dLoss,
                                float[] dLogits, int dOff) {
        checkLabels(n, classes, labels);
        float scale = dLoss / n;
        for (int i = 0; i < n; i++) {
            int pr = probOff + i * classes, d = dOff + i * classes;
            for (int j = 0; j < classes; j++) {
                float onehot = j == labels[i] ? 1f : 0f;
                dLogits[d + j] = (prob[pr + j] - onehot) * scale;
            }
        }
    }

    /** Throws IllegalArgumentException naming the first row whose label is outside [0, classes). */
    public static void checkLabels(int n, int classes, int[] labels) {
        if (labels.length < n) {
            throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label out of range at row " + i + ": expected 0 <= label < "
                        + classes + ", got " + labels[i]);
            }
        }
    }
}
