package d2l4j.kernels.reference;

/** Plain stochastic gradient descent step, as torch.optim.SGD without momentum or weight decay. */
public final class Sgd {
    private Sgd() {}

    // w ← w + (−lr)·g as one fused multiply-add (a single rounding). PyTorch's param.add_(grad, alpha=-lr)
    // rounds once too on this CPU (src/reference sgd_0: fma = true, checked bit for bit), and the simd
    // twin uses the vector fma, so all three give identical weights.
    public static void update(float[] w, int wOff, float[] g, int gOff, int len, float lr) {
        float minusLr = -lr;
        for (int i = 0; i < len; i++) w[wOff + i] = Math.fma(minusLr, g[gOff + i], w[wOff + i]);
    }
}
