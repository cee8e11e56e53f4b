package d2l4j.layers;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;

/**
 * Dropout as PyTorch's nn.Dropout: in training mode zeroes each element with probability p and scales the
 * rest by 1/(1 − p); in evaluation mode the identity. The mask of each call is a function of
 * (seed, epoch, step, layer) only ({@code Philox.dropoutMask}): the seed comes from the network's seed
 * ({@link Init#d2l}), the epoch from {@link #startEpoch} (called by the training loop, which also restarts
 * the step count), the step counts this layer's training-mode calls in the epoch, and the layer is a hash of
 * the layer's path in the net. So a run resumed from a checkpoint after epoch e draws the same masks as one
 * that never stopped, and every backend draws the same masks, with no generator state to save.
 */
public class Dropout extends Layer {
    private final float p;
    private long seed;
    private int epoch, step;

    public Dropout(float p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
    }

    @Override
    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) return x;
        return Functional.dropout(x, p, seed, epoch, step++, path().hashCode());
    }

    public void seed(long seed) {
        this.seed = seed;
        this.epoch = 0;
        this.step = 0;
    }

    /** Starts epoch {@code epoch} (0-based): masks from here on are those of (seed, epoch, step 0, 1, ...). */
    public void startEpoch(int epoch) {
        this.epoch = epoch;
        this.step = 0;
    }

    public float p() {
        return p;
    }
}
