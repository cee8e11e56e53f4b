package d2l4j.tensor;

/**
 * The sizes of one 2-D pooling call: x [N, C, H, W], window R×S with stride and zero padding, y [N, C, P, Q]
 * with P and Q from {@link Window2d#outSize}. Made by {@link #of}, which checks the input fits.
 */
public record PoolGeometry(int n, int c, int h, int w, int r, int s, int strideH, int strideW, int padH, int padW) {

    public PoolGeometry {
        if (n < 1 || c < 1 || h < 1 || w < 1 || r < 1 || s < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0
                || h + 2 * padH < r || w + 2 * padW < s) {
            throw new IllegalArgumentException("pool2d: expected positive sizes, padding >= 0 and a window that fits, got"
                    + " n=" + n + " c=" + c + " h=" + h + " w=" + w + " window " + r + "x" + s
                    + " stride=" + strideH + "x" + strideW + " pad=" + padH + "x" + padW);
        }
    }

    /** The geometry of pooling x [N, C, H, W] over {@code window}; checks it fits. */
    public static PoolGeometry of(int[] xShape, Window2d window) {
        if (xShape.length != 4 || !window.fits(xShape[2], xShape[3])) {
            throw new IllegalArgumentException("pool2d: expected input [N, C, H, W] that fits " + window + ", got "
                    + Shape.str(xShape));
        }
        return new PoolGeometry(xShape[0], xShape[1], xShape[2], xShape[3], window.kernelH(), window.kernelW(),
                window.strideH(), window.strideW(), window.padH(), window.padW());
    }

    /** The same pooling over {@code images} images (a part of the batch). */
    public PoolGeometry images(int images) {
        return images == n ? this : new PoolGeometry(images, c, h, w, r, s, strideH, strideW, padH, padW);
    }

    public int p() { return Window2d.outSize(h, r, strideH, padH); }
    public int q() { return Window2d.outSize(w, s, strideW, padW); }
    public int xImage() { return c * h * w; }
    public int yImage() { return c * p() * q(); }
    public int[] yShape() { return new int[] {n, c, p(), q()}; }

    @Override
    public String toString() {
        return "x " + Shape.str(new int[] {n, c, h, w}) + ", window " + r + "x" + s + ", stride " + strideH + "x" + strideW
                + ", padding " + padH + "x" + padW + " -> y " + Shape.str(yShape());
    }
}
