package d2l4j.kernels.reference;

/**
 * Elementwise activations over {@code len} contiguous floats. Safe in place (x and y the same
 * array and offset): each element is read before it is written.
 */
public final class Activations implements d2l4j.kernels.ActivationKernels {

    // y = σ(x) = 1 / (1 + e^(−x))
    @Override
    public void sigmoidForward(float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = 1f / (1f + (float) Math.exp(-x[xOff + i]));
    }

    // σ'(x) = σ(x)·(1 − σ(x)), written in terms of the saved output y: dx = dy·y·(1 − y)
    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        for (int i = 0; i < len; i++) {
            float yi = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * yi * (1f - yi);
        }
    }

    // y = max(x, 0); NaN stays NaN as in torch.relu (Math.max propagates NaN)
    @Override
    public void reluForward(float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    // relu'(x) = 1 for x > 0, else 0 (0 at x = 0 too, as PyTorch): dx = x > 0 ? dy : 0
    @Override
    public void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        for (int i = 0; i < len; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
}
