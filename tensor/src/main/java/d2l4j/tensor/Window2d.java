package d2l4j.tensor;

/**
 * The geometry of a 2-D sliding window (convolution or pooling): kernel R×S, stride and zero padding.
 * Output size, as PyTorch with ceil_mode off: P = (H + 2·padH − R) / strideH + 1.
 */
public record Window2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {

    public Window2d {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("invalid window " + this);
        }
    }

    /** Square kernel, stride and padding, as most layers use. */
    public static Window2d square(int kernel, int stride, int pad) {
        return new Window2d(kernel, kernel, stride, stride, pad, pad);
    }

    public int outH(int h) {
        return (h + 2 * padH - kernelH) / strideH + 1;
    }

    public int outW(int w) {
        return (w + 2 * padW - kernelW) / strideW + 1;
    }

    /** True when the window fits at least once into an h×w input. */
    public boolean fits(int h, int w) {
        return h + 2 * padH >= kernelH && w + 2 * padW >= kernelW;
    }

    @Override
    public String toString() {
        return "kernel " + kernelH + "x" + kernelW + ", stride " + strideH + "x" + strideW + ", padding " + padH + "x" + padW;
    }
}
