package d2l4j.bench;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.CrossEntropyLoss;
import d2l4j.layers.Layer;
import d2l4j.layers.Sgd;
import d2l4j.tensor.Arena;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.testkit.HashFill;

/**
 * One training step as d2l's train_ch6 times it: forward, loss, zero grads, backward, SGD update, on a
 * fixed random batch (pixels in [0, 1), labels 0-9), so that benchmarks measure the engine, not the data.
 */
public final class TrainStep {
    private final Layer net;
    private final Sgd sgd;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Tensor images;
    private final int[] labels;
    private final byte[] pixels; // the same images as bytes, for the resident steps
    private final int side;
    private Tensor sums;

    public TrainStep(Layer net, int batch, int[] imageShape, float lr) {
        this.net = net;
        this.sgd = new Sgd(net.parameters(), lr);
        int[] shape = new int[imageShape.length + 1];
        shape[0] = batch;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        this.images = Tensor.of(HashFill.unit(1, d2l4j.tensor.Shape.numel(shape)), shape);
        float[] u = HashFill.unit(2, batch);
        this.side = shape[shape.length - 1];
        this.pixels = new byte[batch * side * side];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (images.data()[i % images.numel()] * 255);
        this.labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = (int) (u[i] * 10);
    }

    /** Runs one step; returns the loss (so that the work cannot be optimized away). */
    public float run() {
        return run(null);
    }

    /**
     * Runs one step, calling {@code afterForward} (nullable) between the loss and the backward pass: the moment
     * the most is live (every saved activation, and the previous step's gradients until zeroGrad).
     */
    public float run(Runnable afterForward) {
        Variable l = loss.forward(net.forward(new Variable(images)), labels);
        if (afterForward != null) afterForward.run();
        sgd.zeroGrad();
        l.backward();
        sgd.step();
        return l.data().item();
    }

    /**
     * One step as the training loop runs it on a device: the batch goes up as bytes ({@code Backend.images},
     * {@code Backend.labels}), everything else stays where the backend computes, the metrics accumulate
     * there ({@link #checksum} reads them), and the step's buffers go back to the pool when its arena closes.
     */
    public void runResident() {
        Backend b = Backends.current();
        if (sums == null) sums = b.zeros(3);
        try (Arena a = Arena.open()) {
            Tensor y = b.labels(labels, labels.length);
            Variable yHat = net.forward(new Variable(b.images(pixels, 0, labels.length, side, side)));
            Variable l = loss.forward(yHat, y);
            sgd.zeroGrad();
            l.backward();
            sgd.step();
            b.accumulateMetrics(sums, l.data(), yHat.data(), y);
        }
    }

    /** One inference batch (eval mode, no graph) on the device; the hit count accumulates in {@link #checksum}. */
    public void inferResident() {
        Backend b = Backends.current();
        if (sums == null) sums = b.zeros(3);
        net.eval();
        try (var g = NoGrad.open(); Arena a = Arena.open()) {
            Tensor y = b.labels(labels, labels.length);
            b.accumulateMetrics(sums, null, net.forward(new Variable(b.images(pixels, 0, labels.length, side, side))).data(), y);
        } finally {
            net.train();
        }
    }

    /** The summed loss of the resident steps so far plus their hits (one read from the device). */
    public float checksum() {
        if (sums == null) return 0;
        float[] s = sums.toArray();
        return s[0] + s[2];
    }

    public int batch() {
        return labels.length;
    }
}
