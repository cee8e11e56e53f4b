package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;
import d2l4j.tensor.Window2d;

/** Average pooling, PyTorch's nn.AvgPool2d (count_include_pad=True, ceil_mode=False), per channel. */
public class AvgPool2d extends Layer {
    private final Window2d window;

    public AvgPool2d(int kernel, int stride) {
        this(kernel, stride, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this.window = Window2d.square(kernel, stride, padding);
    }

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        expect(s.length == 4 && window.fits(s[2], s[3]), "input [N, C, H, W] with H, W at least " + window.kernelH(), x);
        return Functional.avgPool2d(x, window);
    }

    public Window2d window() { return window; }
}
