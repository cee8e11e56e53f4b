package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;

/** Adaptive average pooling to a fixed output size; NiN and GoogLeNet use it as global pooling (1×1). */
public final class AdaptiveAvgPool2dOp extends Op {
    private final int outH, outW;
    private int[] xShape;

    public AdaptiveAvgPool2dOp(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        xShape = in[0].shape();
        return Backends.current().adaptiveAvgPool2d(in[0], outH, outW);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        return new Tensor[] {Backends.current().adaptiveAvgPool2dBackward(dy, xShape)};
    }
}
