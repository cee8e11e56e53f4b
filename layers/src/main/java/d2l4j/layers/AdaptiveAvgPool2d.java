package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;

/** PyTorch's nn.AdaptiveAvgPool2d: averages each channel down to outH × outW; (1, 1) is global average pooling. */
public class AdaptiveAvgPool2d extends Layer {
    private final int outH, outW;

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive");
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        expect(s.length == 4, "input [N, C, H, W]", x);
        return Functional.adaptiveAvgPool2d(x, outH, outW);
    }
}
