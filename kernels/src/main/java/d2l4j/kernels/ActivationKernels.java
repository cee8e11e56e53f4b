package d2l4j.kernels;

/**
 * Sigmoid and ReLU on {@code len} contiguous floats, with their gradients. Implemented by
 * {@link d2l4j.kernels.reference.Activations} and {@link d2l4j.kernels.simd.Activations}.
 */
public interface ActivationKernels {

    // y = 1 / (1 + e^−x)
    void sigmoidForward(float[] x, int xOff, float[] y, int yOff, int len);

    // dx = dy · y · (1 − y), from the forward output y
    void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len);

    // y = max(x, 0)
    void reluForward(float[] x, int xOff, float[] y, int yOff, int len);

    // dx = dy where x > 0, else 0
    void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len);
}
