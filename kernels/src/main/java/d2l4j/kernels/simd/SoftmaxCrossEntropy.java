package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax + mean cross-entropy, same contract as {@link d2l4j.kernels.reference.SoftmaxCrossEntropy}.
 * The row max, the exponentials and their sum run in vector lanes (the sum's lanes are added in
 * lane order, then the tail), so probabilities agree with the reference to a few ulp.
 */
public final class SoftmaxCrossEntropy implements d2l4j.kernels.SoftmaxCrossEntropyKernels {

    private static final VectorSpecies<Float> F = Machine.F;
    private static final int V = F.length();

    /**
     * prob[i,j] = e^(z[i,j] − m_i) / Σ_j e^(z[i,j] − m_i), m_i = max_j z[i,j]; returns
     * (1/n) Σ_i (log Σ_j e^(z[i,j] − m_i) − (z[i,label_i] − m_i)), the mean taken in double.
     */
    @Override
    public float forward(float[] logits, int off, int n, int classes, int[] labels, float[] prob, int probOff) {
        d2l4j.kernels.reference.SoftmaxCrossEntropy.checkLabels(n, classes, labels);
        int bound = F.loopBound(classes);
        double total = 0;
        for (int i = 0; i < n; i++) {
            int z = off + i * classes, pr = probOff + i * classes;
            float max = Float.NEGATIVE_INFINITY;
            int j = 0;
            if (bound > 0) {
                FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                for (; j < bound; j += V) m = m.max(FloatVector.fromArray(F, logits, z + j));
                max = m.reduceLanes(VectorOperators.MAX); // max is exact in any order
            }
            for (; j < classes; j++) max = Math.max(max, logits[z + j]);

            for (j = 0; j < bound; j += V) Exp.exp(FloatVector.fromArray(F, logits, z + j).sub(max)).intoArray(prob, pr + j);
            for (; j < classes; j++) prob[pr + j] = Exp.exp(logits[z + j] - max);
            // the sum left to right, as the reference: a row is short (10 classes), and so it is the same bits for
            // every vector width (vector and scalar Exp are the same sequence of operations)
            float sum = 0f;
            for (j = 0; j < classes; j++) sum += prob[pr + j];
            // divide (rather than multiply by 1/sum) to round as the reference does
            for (j = 0; j < bound; j += V) FloatVector.fromArray(F, prob, pr + j).div(sum).intoArray(prob, pr + j);
            for (; j < classes; j++) prob[pr + j] /= sum;
            total += Math.log(sum) - (logits[z + labels[i]] - max);
        }
        return (float) (total / n);
    }

    // dL/dz[i,j] = dLoss·(prob[i,j] − [j == label_i]) / n
    @Override
    public void backward(float[] prob, int probOff, int n, int classes, int[] labels, float dLoss,
                                float[] dLogits, int dOff) {
        d2l4j.kernels.reference.SoftmaxCrossEntropy.checkLabels(n, classes, labels);
        float scale = dLoss / n;
        int bound = F.loopBound(classes);
        for (int i = 0; i < n; i++) {
            int pr = probOff + i * classes, d = dOff + i * classes, j = 0;
            for (; j < bound; j += V) FloatVector.fromArray(F, prob, pr + j).mul(scale).intoArray(dLogits, d + j);
            for (; j < classes; j++) dLogits[d + j] = prob[pr + j] * scale;
            // the one-hot term touches one entry: recompute it exactly as the reference does
            int l = labels[i];
            dLogits[d + l] = (prob[pr + l] - 1f) * scale;
        }
    }
}
