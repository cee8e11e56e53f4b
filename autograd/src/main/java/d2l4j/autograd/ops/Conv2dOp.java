package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;

/**
 * 2-D convolution (PyTorch's cross-correlation): inputs x [N,C,H,W], weight [K,C,R,S], bias [K] or null;
 * y [N,K,P,Q]. Backward: dx is the transposed convolution of dy with the weight; dW = Σ_n dy[n]·col(x[n])ᵀ;
 * db = Σ over n,p,q of dy. With {@code relu}, y = relu(conv2d(x, W, b)) as one op, so that a device backend
 * applies the ReLU while it stores the result; backward then takes the ReLU's gradient first, from y itself
 * (y &gt; 0 exactly where the convolution's output was).
 */
public final class Conv2dOp extends Op {
    private final Window2d window;
    private final boolean relu;
    private Tensor x, weight, y;
    private boolean hasBias;

    public Conv2dOp(Window2d window) {
        this(window, false);
    }

    public Conv2dOp(Window2d window, boolean relu) {
        this.window = window;
        this.relu = relu;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        weight = in[1];
        hasBias = in.length > 2 && in[2] != null;
        Tensor b = hasBias ? in[2] : null;
        y = relu ? Backends.current().conv2dRelu(x, weight, b, window) : Backends.current().conv2d(x, weight, b, window);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        var backend = Backends.current();
        if (relu) dy = backend.reluBackward(y, dy);
        Tensor dx = needsGrad(0) ? backend.conv2dBackwardData(dy, weight, x.shape(), window) : null;
        Tensor[] dwb = backend.conv2dBackwardWeight(x, dy, weight.shape(), hasBias, window);
        return new Tensor[] {dx, dwb[0], dwb[1]};
    }
}
