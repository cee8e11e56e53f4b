package d2l4j.tensor;

/**
 * Adaptive average pooling (PyTorch's nn.AdaptiveAvgPool2d) on x [N, C, H, W] → y [N, C, outH, outW]:
 * y[n,c,i,j] = mean of x[n, c, h0(i)..h1(i)-1, w0(j)..w1(j)-1] with h0(i) = ⌊i·H/outH⌋ and
 * h1(i) = ⌈(i+1)·H/outH⌉. Backward: each x element in a bin receives dy/(bin size), summed over bins.
 */
final class AdaptivePooling {
    private AdaptivePooling() {}

    static int start(int i, int in, int out) {
        return (int) Math.floorDiv((long) i * in, out);
    }

    static int end(int i, int in, int out) {
        return (int) -Math.floorDiv(-(long) (i + 1) * in, out);
    }

    static Tensor forward(Tensor x, int outH, int outW) {
        int[] s = check(x.shape(), outH, outW);
        Tensor xc = x.contiguous();
        float[] in = xc.data();
        Tensor y = Tensor.zeros(s[0], s[1], outH, outW);
        float[] out = y.data();
        int planes = s[0] * s[1], h = s[2], w = s[3];
        for (int pl = 0; pl < planes; pl++) {
            int base = xc.offset() + pl * h * w;
            for (int i = 0; i < outH; i++) {
                int h0 = start(i, h, outH), h1 = end(i, h, outH);
                for (int j = 0; j < outW; j++) {
                    int w0 = start(j, w, outW), w1 = end(j, w, outW);
                    float sum = 0;
                    for (int r = h0; r < h1; r++) for (int c = w0; c < w1; c++) sum += in[base + r * w + c];
                    out[(pl * outH + i) * outW + j] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }
        return y;
    }

    static Tensor backward(Tensor dy, int[] xShape) {
        int outH = dy.dim(2), outW = dy.dim(3);
        int[] s = check(xShape, outH, outW);
        Tensor g = dy.contiguous();
        Tensor dx = Tensor.zeros(xShape);
        float[] gd = g.data(), d = dx.data();
        int planes = s[0] * s[1], h = s[2], w = s[3];
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < outH; i++) {
                int h0 = start(i, h, outH), h1 = end(i, h, outH);
                for (int j = 0; j < outW; j++) {
                    int w0 = start(j, w, outW), w1 = end(j, w, outW);
                    float share = gd[g.offset() + (pl * outH + i) * outW + j] / ((h1 - h0) * (w1 - w0));
                    for (int r = h0; r < h1; r++) for (int c = w0; c < w1; c++) d[pl * h * w + r * w + c] += share;
                }
            }
        }
        return dx;
    }

    private static int[] check(int[] s, int outH, int outW) {
        if (s.length != 4 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptive average pooling: expected input [N, C, H, W] and a positive output size, got "
                    + Shape.str(s) + " -> " + outH + "x" + outW);
        }
        return s;
    }
}
