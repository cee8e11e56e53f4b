package d2l4j.tensor;

/**
 * The sizes of one 2-D convolution, the one value every layer from {@link Backend} down to the kernels
 * passes: N images x [N, C, H, W], K filters weight [K, C, R, S], stride and zero padding, giving
 * y [N, K, P, Q] with P and Q from {@link Window2d#outSize}.
 *
 * <p>Made by {@link #of}, which checks a call's shapes against the window and names them in its error.
 * Kernels that work on a range of images take {@link #images(int)} of it.
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s, int strideH, int strideW, int padH, int padW) {

    public ConvGeometry {
        if (n < 1 || c < 1 || h < 1 || w < 1 || k < 1 || r < 1 || s < 1 || strideH < 1 || strideW < 1
                || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: expected positive sizes and strides and padding >= 0, got"
                    + " n=" + n + " c=" + c + " h=" + h + " w=" + w + " k=" + k + " r=" + r + " s=" + s
                    + " stride=" + strideH + "x" + strideW + " pad=" + padH + "x" + padW);
        }
        if (h + 2 * padH < r || w + 2 * padW < s) {
            throw new IllegalArgumentException("conv2d: kernel " + r + "x" + s + " larger than the padded input "
                    + (h + 2 * padH) + "x" + (w + 2 * padW));
        }
    }

    /** The geometry of x [N, C, H, W] convolved with weight [K, C, R, S] over {@code window}; checks they fit. */
    public static ConvGeometry of(int[] xShape, int[] weightShape, Window2d window) {
        int[] x = xShape, wt = weightShape;
        if (x.length != 4 || wt.length != 4 || x[1] != wt[1] || wt[2] != window.kernelH() || wt[3] != window.kernelW()
                || !window.fits(x[2], x[3])) {
            throw new IllegalArgumentException("conv2d: input " + Shape.str(x) + " does not fit weight " + Shape.str(wt)
                    + " with " + window);
        }
        return new ConvGeometry(x[0], x[1], x[2], x[3], wt[0], wt[2], wt[3], window.strideH(), window.strideW(),
                window.padH(), window.padW());
    }

    /** The same convolution over {@code images} images (a part of the batch). */
    public ConvGeometry images(int images) {
        return images == n ? this : new ConvGeometry(images, c, h, w, k, r, s, strideH, strideW, padH, padW);
    }

    public int p() { return Window2d.outSize(h, r, strideH, padH); }
    public int q() { return Window2d.outSize(w, s, strideW, padW); }
    public int pq() { return p() * q(); }
    /** The depth of the product: one filter's C·R·S weights. */
    public int crs() { return c * r * s; }
    /** Floats of one input image, C·H·W, and of one output image, K·P·Q. */
    public int xImage() { return c * h * w; }
    public int yImage() { return k * pq(); }
    public int xSize() { return n * xImage(); }
    public int ySize() { return n * yImage(); }
    public int weightSize() { return k * crs(); }

    public boolean stride1() { return strideH == 1 && strideW == 1; }

    /** 1×1, stride 1, no padding: each image (C × H·W) is already its own im2col matrix. */
    public boolean pointwise() {
        return r == 1 && s == 1 && stride1() && padH == 0 && padW == 0;
    }

    public int[] xShape() { return new int[] {n, c, h, w}; }
    public int[] yShape() { return new int[] {n, k, p(), q()}; }
    public int[] weightShape() { return new int[] {k, c, r, s}; }

    @Override
    public String toString() {
        return "x " + Shape.str(xShape()) + " * weight " + Shape.str(weightShape()) + ", stride " + strideH + "x" + strideW
                + ", padding " + padH + "x" + padW + " -> y " + Shape.str(yShape());
    }
}
