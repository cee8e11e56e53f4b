package d2l4j.kernels;

/**
 * Arithmetic on {@code len} contiguous floats (y may alias a or b at the same offset), a sum, and the SGD
 * step. One IEEE operation per element, so the two implementations, {@link d2l4j.kernels.reference.Elementwise}
 * and {@link d2l4j.kernels.simd.Elementwise}, give the same bits (the sum aside: see {@link #sum}).
 */
public interface ElementwiseKernels {

    // y = a + b
    void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len);

    // y = a − b
    void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len);

    // y = a · b
    void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len);

    // y += v (in place)
    void addScalar(float[] y, int yOff, int len, float v);

    // y *= v (in place)
    void scale(float[] y, int yOff, int len, float v);

    // Σ_i x[i]: the reference adds strictly left to right, the Vector API in lanes (deterministic, another order)
    float sum(float[] x, int off, int len);

    // w ← w + (−lr)·g as one fused multiply-add per element (torch.optim.SGD without momentum)
    void sgdUpdate(float[] w, int wOff, float[] g, int gOff, int len, float lr);
}
