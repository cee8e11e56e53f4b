package d2l4j.tensor;

/**
 * Bilinear resizing of a square grayscale image, as torchvision's Resize on tensors (antialias off) and
 * PyTorch's F.interpolate(mode="bilinear", align_corners=False): output pixel i samples the input at
 * the half-pixel-centred position src = max((i + 0.5)·in/out − 0.5, 0), between i0 = ⌊src⌋ and
 * i1 = min(i0 + 1, in − 1) with weights 1 − λ and λ = src − i0. The per-row and per-column indices and
 * weights are computed once, so resizing a batch costs four multiply-adds per output pixel.
 */
public final class Resize {
    private final int in, out;
    private final int[] i0, i1;
    private final float[] w0, w1;

    public Resize(int in, int out) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Resize: sizes must be positive, got " + in + " -> " + out);
        this.in = in;
        this.out = out;
        i0 = new int[out];
        i1 = new int[out];
        w0 = new float[out];
        w1 = new float[out];
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            float src = Math.max(scale * (i + 0.5f) - 0.5f, 0f);
            int lo = Math.min((int) src, in - 1);
            float lambda = Math.min(Math.max(src - lo, 0f), 1f);
            i0[i] = lo;
            i1[i] = Math.min(lo + 1, in - 1);
            w0[i] = 1f - lambda;
            w1[i] = lambda;
        }
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /**
     * The tables a device kernel needs to resize exactly as {@link #apply}: for output index i (row or
     * column), the two source indices and their weights, {@code {i0, i1}} and {@code {w0, w1}} (copies).
     */
    public int[][] indices() {
        return new int[][] {i0.clone(), i1.clone()};
    }

    public float[][] weights() {
        return new float[][] {w0.clone(), w1.clone()};
    }

    /** dst[dstOff ..] (out×out) = bilinear resize of src[srcOff ..] (in×in); both row-major. */
    public void apply(float[] src, int srcOff, float[] dst, int dstOff) {
        for (int y = 0; y < out; y++) {
            int r0 = srcOff + i0[y] * in, r1 = srcOff + i1[y] * in;
            float wy0 = w0[y], wy1 = w1[y];
            int d = dstOff + y * out;
            for (int x = 0; x < out; x++) {
                int c0 = i0[x], c1 = i1[x];
                float top = w0[x] * src[r0 + c0] + w1[x] * src[r0 + c1];
                float bottom = w0[x] * src[r1 + c0] + w1[x] * src[r1 + c1];
                dst[d + x] = wy0 * top + wy1 * bottom;
            }
        }
    }
}
