package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;
import d2l4j.tensor.Window2d;

/**
 * 2-D convolution, PyTorch's nn.Conv2d: x [N, C, H, W] → y [N, K, P, Q] with weight [K, C, R, S] and
 * bias [K]. Parameters start at zero; {@link Init#d2l} initializes them as d2l does.
 */
public class Conv2d extends Layer {
    private final int inChannels, outChannels;
    private final Window2d window;
    private final Parameter weight, bias;

    /** Square kernel, stride and padding: {@code new Conv2d(1, 6, 5, 1, 2)} is LeNet's first layer. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, Window2d.square(kernel, stride, padding), true);
    }

    public Conv2d(int inChannels, int outChannels, Window2d window, boolean withBias) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2d: channels must be positive, got " + inChannels + " -> " + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        this.weight = registerParameter("weight", Parameter.zeros(outChannels, inChannels, window.kernelH(), window.kernelW()));
        this.bias = withBias ? registerParameter("bias", Parameter.zeros(outChannels)) : null;
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, false);
    }

    /** This convolution with a ReLU applied to its output ({@link Sequential} fuses Conv2d + ReLU this way). */
    public Variable forward(Variable x, boolean relu) {
        int[] s = x.shape();
        expect(s.length == 4 && s[1] == inChannels, "input [N, " + inChannels + ", H, W]", x);
        expect(window.fits(s[2], s[3]), "input at least " + window.kernelH() + "x" + window.kernelW()
                + " (with padding " + window.padH() + "x" + window.padW() + ")", x);
        Variable y = relu ? Functional.conv2dRelu(x, weight, bias, window) : Functional.conv2d(x, weight, bias, window);
        int[] o = y.shape();
        FlopCounter.add(2L * o[0] * o[1] * o[2] * o[3] * fanIn());
        return y;
    }

    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }
    public Window2d window() { return window; }
    public int inChannels() { return inChannels; }
    public int outChannels() { return outChannels; }

    /** Fans for Xavier: fan_in = C·R·S, fan_out = K·R·S. */
    int fanIn() { return inChannels * window.kernelH() * window.kernelW(); }
    int fanOut() { return outChannels * window.kernelH() * window.kernelW(); }
}
