package d2l4j.layers;

import d2l4j.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * d2l's initialization (d2l.init_cnn / init_weights): Xavier uniform on the weights of Conv2d and Linear,
 * U(−a, a) with a = sqrt(6 / (fan_in + fan_out)); PyTorch's default on their biases, U(−b, b) with
 * b = 1/sqrt(fan_in). Dropout layers get their mask seeds from the same stream. One random stream from {@code seed}, used in the order of the parameters.
 */
public final class Init {
    private Init() {}

    public static <L extends Layer> L d2l(L net, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Layer l : net.layers()) {
            if (l instanceof Conv2d c) {
                uniform(c.weight().data(), Math.sqrt(6.0 / (c.fanIn() + c.fanOut())), rng);
                if (c.bias() != null) uniform(c.bias().data(), 1.0 / Math.sqrt(c.fanIn()), rng);
            } else if (l instanceof Linear f) {
                uniform(f.weight().data(), Math.sqrt(6.0 / (f.inFeatures() + f.outFeatures())), rng);
                uniform(f.bias().data(), 1.0 / Math.sqrt(f.inFeatures()), rng);
            } else if (l instanceof Dropout d) {
                d.seed(rng.nextLong());
            }
        }
        return net;
    }

    /** Fills {@code t} (in place) with U(−bound, bound). */
    public static void uniform(Tensor t, double bound, SplittableRandom rng) {
        float[] d = t.data();
        for (int i = 0; i < t.numel(); i++) d[t.offset() + i] = (float) ((2 * rng.nextDouble() - 1) * bound);
    }
}
