package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;
import java.util.SplittableRandom;

/**
 * Dropout as PyTorch's nn.Dropout: in training mode zeroes each element with probability p and scales the
 * rest by 1/(1 − p); in evaluation mode the identity. Masks come from the layer's own seeded stream
 * ({@link Init#d2l} reseeds it from the network's seed), so training is reproducible. The training loop
 * calls {@link #startEpoch} before each epoch, which restarts the stream at a function of (seed, epoch)
 * only, as the data loader's order: a run resumed from a checkpoint after epoch e draws the same masks
 * as one that never stopped, with no random-generator state to save.
 */
public class Dropout extends Layer {
    private final float p;
    private long seed;
    private SplittableRandom rng = new SplittableRandom(0);

    public Dropout(float p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
    }

    @Override
    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) return x;
        return Functional.dropout(x, p, rng);
    }

    public void seed(long seed) {
        this.seed = seed;
        rng = new SplittableRandom(seed);
    }

    /** Restarts the mask stream for epoch {@code epoch} (0-based): {@code SplittableRandom(seed·1000003 + epoch)}. */
    public void startEpoch(int epoch) {
        rng = new SplittableRandom(seed * 1000003L + epoch);
    }

    public float p() {
        return p;
    }
}
