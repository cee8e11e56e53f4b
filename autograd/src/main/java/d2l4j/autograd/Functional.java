package d2l4j.autograd;

import d2l4j.autograd.ops.AdaptiveAvgPool2dOp;
import d2l4j.autograd.ops.ConcatOp;
import d2l4j.autograd.ops.Conv2dOp;
import d2l4j.autograd.ops.DropoutOp;
import d2l4j.autograd.ops.ElementwiseOp;
import d2l4j.autograd.ops.LinearOp;
import d2l4j.autograd.ops.MatMulOp;
import d2l4j.autograd.ops.Pool2dOp;
import d2l4j.autograd.ops.ReluOp;
import d2l4j.autograd.ops.ReshapeOp;
import d2l4j.autograd.ops.SigmoidOp;
import d2l4j.autograd.ops.SoftmaxCrossEntropyOp;
import d2l4j.autograd.ops.SumOp;
import d2l4j.tensor.Backends;
import d2l4j.tensor.BinaryOp;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;

/** The differentiable operations as functions, in the spirit of torch.nn.functional. */
public final class Functional {
    private Functional() {}

    /** relu(conv2d(x, weight, bias)) as one op (a device fuses the ReLU into the convolution's store). */
    public static Variable conv2dRelu(Variable x, Variable weight, Variable bias, Window2d window) {
        return new Conv2dOp(window, true).apply(x, weight, bias);
    }

    public static Variable conv2d(Variable x, Variable weight, Variable bias, Window2d window) {
        return new Conv2dOp(window).apply(x, weight, bias);
    }

    public static Variable linear(Variable x, Variable weight, Variable bias) {
        return new LinearOp().apply(x, weight, bias);
    }

    public static Variable matmul(Variable a, Variable b) {
        return new MatMulOp().apply(a, b);
    }

    public static Variable avgPool2d(Variable x, Window2d window) {
        return new Pool2dOp(Pool2dOp.Kind.AVG, window).apply(x);
    }

    public static Variable maxPool2d(Variable x, Window2d window) {
        return new Pool2dOp(Pool2dOp.Kind.MAX, window).apply(x);
    }

    public static Variable adaptiveAvgPool2d(Variable x, int outH, int outW) {
        return new AdaptiveAvgPool2dOp(outH, outW).apply(x);
    }

    /** Concatenation along {@code dim}; Inception joins its paths with dim 1 (channels). */
    public static Variable cat(int dim, Variable... xs) {
        return new ConcatOp(dim).apply(xs);
    }

    /** Training-mode dropout with the mask of (seed, epoch, step, layer) ({@code Backend.dropoutMask}). */
    public static Variable dropout(Variable x, float p, long seed, int epoch, int step, int layer) {
        return new DropoutOp(p, seed, epoch, step, layer).apply(x);
    }

    public static Variable sigmoid(Variable x) {
        return new SigmoidOp().apply(x);
    }

    public static Variable relu(Variable x) {
        return new ReluOp().apply(x);
    }

    public static Variable reshape(Variable x, int... shape) {
        return new ReshapeOp(shape).apply(x);
    }

    public static Variable crossEntropy(Variable logits, int[] labels) {
        if (logits.data().rank() == 2 && logits.data().dim(0) == labels.length) {
            SoftmaxCrossEntropyOp.checkLabels(labels, labels.length, logits.data().dim(1));
        }
        return crossEntropy(logits, Backends.current().labels(labels, labels.length));
    }

    /** As above with the labels already where the backend computes ({@code Backend.labels}, checked by the caller). */
    public static Variable crossEntropy(Variable logits, Tensor labels) {
        return new SoftmaxCrossEntropyOp(labels).apply(logits);
    }

    public static Variable add(Variable a, Variable b) {
        return new ElementwiseOp(BinaryOp.ADD).apply(a, b);
    }

    public static Variable sub(Variable a, Variable b) {
        return new ElementwiseOp(BinaryOp.SUB).apply(a, b);
    }

    public static Variable mul(Variable a, Variable b) {
        return new ElementwiseOp(BinaryOp.MUL).apply(a, b);
    }

    public static Variable sum(Variable x) {
        return new SumOp(false).apply(x);
    }

    public static Variable mean(Variable x) {
        return new SumOp(true).apply(x);
    }
}
