package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;
import d2l4j.tensor.Window2d;

/** Max pooling, PyTorch's nn.MaxPool2d (ceil_mode=False, padding acts as −∞), per channel. */
public class MaxPool2d extends Layer {
    private final Window2d window;

    public MaxPool2d(int kernel, int stride) {
        this(kernel, stride, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        if (2 * padding > kernel) {
            throw new IllegalArgumentException("MaxPool2d: padding " + padding + " must be at most half the kernel " + kernel);
        }
        this.window = Window2d.square(kernel, stride, padding);
    }

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        expect(s.length == 4 && window.fits(s[2], s[3]), "input [N, C, H, W] with H, W at least " + window.kernelH(), x);
        return Functional.maxPool2d(x, window);
    }

    public Window2d window() { return window; }
}
