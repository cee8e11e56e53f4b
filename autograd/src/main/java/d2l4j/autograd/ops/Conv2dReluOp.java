package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;

/**
 * A convolution followed by a ReLU, as one op so that a device backend can apply the ReLU while it stores
 * the convolution's result: y = relu(conv2d(x, W, b)). Backward: the ReLU's gradient first, from y itself
 * (y &gt; 0 exactly where the convolution's output was &gt; 0), then the convolution's, as {@link Conv2dOp}.
 */
public final class Conv2dReluOp extends Op {
    private final Window2d window;
    private Tensor x, weight, y;
    private boolean hasBias;

    public Conv2dReluOp(Window2d window) {
        this.window = window;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        weight = in[1];
        hasBias = in.length > 2 && in[2] != null;
        y = Backends.current().conv2dRelu(x, weight, hasBias ? in[2] : null, window);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        var backend = Backends.current();
        Tensor g = backend.reluBackward(y, dy);
        Tensor dx = needsGrad(0) ? backend.conv2dBackwardData(g, weight, x.shape(), window) : null;
        Tensor[] dwb = backend.conv2dBackwardWeight(x, g, weight.shape(), hasBias, window);
        return new Tensor[] {dx, dwb[0], dwb[1]};
    }
}
