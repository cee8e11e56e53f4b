package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;

/**
 * Average or max pooling over R×S windows of x [N,C,H,W] → y [N,C,P,Q].
 * Average: y = (1/(R·S)) Σ_window x (zero padding counted), so dx spreads dy/(R·S) over each window.
 * Max: y = max_window x, so dx receives dy at each window's first maximum.
 */
public final class Pool2dOp extends Op {
    public enum Kind { AVG, MAX }

    private final Kind kind;
    private final Window2d window;
    private Tensor x;

    public Pool2dOp(Kind kind, Window2d window) {
        this.kind = kind;
        this.window = window;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        var backend = Backends.current();
        return kind == Kind.AVG ? backend.avgPool2d(x, window) : backend.maxPool2d(x, window);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        var backend = Backends.current();
        return new Tensor[] {kind == Kind.AVG
                ? backend.avgPool2dBackward(dy, x.shape(), window)
                : backend.maxPool2dBackward(x, dy, window)};
    }
}
