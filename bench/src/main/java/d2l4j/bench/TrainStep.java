package d2l4j.bench;

import d2l4j.autograd.Variable;
import d2l4j.layers.CrossEntropyLoss;
import d2l4j.layers.Layer;
import d2l4j.layers.Sgd;
import d2l4j.tensor.HashFill;
import d2l4j.tensor.Tensor;

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

    public TrainStep(Layer net, int batch, int[] imageShape, float lr) {
        this.net = net;
        this.sgd = new Sgd(net.parameters(), lr);
        int[] shape = new int[imageShape.length + 1];
        shape[0] = batch;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        this.images = Tensor.of(HashFill.unit(1, d2l4j.tensor.Shape.numel(shape)), shape);
        float[] u = HashFill.unit(2, batch);
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

    public int batch() {
        return labels.length;
    }
}
