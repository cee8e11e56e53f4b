package d2l4j.tensor;

/**
 * The window of a 2-D convolution or pooling layer: kernel R×S, stride and zero padding (what a layer is
 * built with; the sizes of one call are {@link ConvGeometry} and {@link PoolGeometry}). The output size,
 * as PyTorch with ceil_mode off, is written once, in {@link #outSize}.
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

    /**
     * The number of window positions along one axis: P = ⌊(H + 2·pad − R) / stride⌋ + 1 (0 or less when
     * the kernel is larger than the padded input). The one place this formula is written.
     */
    public static int outSize(int in, int kernel, int stride, int pad) {
        return Math.floorDiv(in + 2 * pad - kernel, stride) + 1;
    }

    public int outH(int h) {
        return outSize(h, kernelH, strideH, padH);
    }

    public int outW(int w) {
        return outSize(w, kernelW, strideW, padW);
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
