package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;

/** PyTorch's nn.CrossEntropyLoss with mean reduction: softmax and negative log-likelihood, fused and stable. */
public class CrossEntropyLoss {
    public Variable forward(Variable logits, int[] labels) {
        return Functional.crossEntropy(logits, labels);
    }

    /** With the labels already where the backend computes ({@code Backend.labels}, checked by the caller). */
    public Variable forward(Variable logits, d2l4j.tensor.Tensor labels) {
        return Functional.crossEntropy(logits, labels);
    }
}
