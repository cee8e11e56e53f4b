package d2l4j.kernels.reference;

/**
 * Elementwise arithmetic on {@code len} contiguous floats; y may alias a or b (same offset).
 * One IEEE float operation per element, so the simd twins give bit-identical results.
 */
public final class Elementwise implements d2l4j.kernels.ElementwiseKernels {

    // y = a + b
    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = a[aOff + i] + b[bOff + i];
    }

    // y = a − b
    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = a[aOff + i] - b[bOff + i];
    }

    // y = a · b
    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = a[aOff + i] * b[bOff + i];
    }

    // y += v (in place)
    @Override
    public void addScalar(float[] y, int yOff, int len, float v) {
        for (int i = 0; i < len; i++) y[yOff + i] += v;
    }

    // y *= v (in place)
    @Override
    public void scale(float[] y, int yOff, int len, float v) {
        for (int i = 0; i < len; i++) y[yOff + i] *= v;
    }

    // Σ_i x[i], accumulated in float strictly left to right (i = 0, 1, ..., len−1).
    @Override
    public float sum(float[] x, int off, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) s += x[off + i];
        return s;
    }

    // w ← w + (−lr)·g as one fused multiply-add (a single rounding). PyTorch's param.add_(grad, alpha=-lr)
    // rounds once too on this CPU (src/reference sgd_0: fma = true, checked bit for bit), and the simd
    // twin uses the vector fma, so all three give identical weights.
    @Override
    public void sgdUpdate(float[] w, int wOff, float[] g, int gOff, int len, float lr) {
        float minusLr = -lr;
        for (int i = 0; i < len; i++) w[wOff + i] = Math.fma(minusLr, g[gOff + i], w[wOff + i]);
    }
}
