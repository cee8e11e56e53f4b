package d2l4j.zoo;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.CrossEntropyLoss;
import d2l4j.layers.Dropout;
import d2l4j.layers.Layer;
import d2l4j.layers.Sgd;
import d2l4j.tensor.Tensor;
import d2l4j.zoo.data.Batch;
import d2l4j.zoo.data.DataLoader;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * d2l's train_ch6 (d2l.ai, section 7.6.2) as one function a reader can follow: per batch forward, loss,
 * zero the gradients, backward, SGD step; metrics summed per epoch; test accuracy after each epoch.
 * As d2l, the examples/sec figure times only the per-batch forward, backward and update.
 */
public final class Training {
    private Training() {}

    /** One epoch's numbers, as d2l's Animator plots them. */
    public record EpochStats(int epoch, double trainLoss, double trainAcc, double testAcc, double examplesPerSec) {}

    public record Result(List<EpochStats> epochs, double examplesPerSec) {
        public EpochStats last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    public static Result train(Layer net, DataLoader train, DataLoader test, int epochs, float lr, PrintStream out) {
        return train(net, train, test, epochs, lr, out, null, List.of());
    }

    /**
     * As above, continuing after the epochs in {@code done} (their metrics, from a checkpoint whose weights
     * {@code net} already holds), and saving {@code checkpoint} (nullable) after each complete epoch. A
     * non-finite loss throws ArithmeticException before the epoch's checkpoint, so the last one stays good.
     */
    public static Result train(Layer net, DataLoader train, DataLoader test, int epochs, float lr, PrintStream out,
                               Checkpoint checkpoint, List<EpochStats> done) {
        Sgd sgd = new Sgd(net.parameters(), lr);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        List<EpochStats> history = new ArrayList<>(done);
        long computeNanos = 0;
        long examples = 0;
        for (int epoch = done.size(); epoch < epochs; epoch++) {
            net.train();
            // dropout masks, as the data order, are a function of (seed, epoch): what makes resuming exact
            for (Layer l : net.layers()) if (l instanceof Dropout d) d.startEpoch(epoch);
            double lossSum = 0, correct = 0;
            int seen = 0, batchIndex = 0;
            long epochNanos = 0;
            Progress bar = new Progress(out, String.format("epoch %d/%d", epoch + 1, epochs), train.batchesPerEpoch());
            for (Batch b : train.epoch(epoch)) {
                long t0 = System.nanoTime();
                Variable x = new Variable(Tensor.of(b.images(), imageShape(b, train)));
                Variable yHat = net.forward(x);
                Variable l = loss.forward(yHat, b.labels());
                sgd.zeroGrad();
                l.backward();
                sgd.step();
                long t1 = System.nanoTime();
                epochNanos += t1 - t0;

                float batchLoss = l.data().item();
                if (!Float.isFinite(batchLoss)) {
                    throw new ArithmeticException("training diverged: loss is " + batchLoss + " at epoch " + (epoch + 1)
                            + ", batch " + (batchIndex + 1) + " (try a smaller --lr)");
                }
                lossSum += (double) batchLoss * b.size();
                correct += accuracyCount(yHat.data(), b.labels());
                seen += b.size();
                batchIndex++;
                bar.update(batchIndex, seen / (epochNanos / 1e9), lossSum / seen);
            }
            bar.finish();
            computeNanos += epochNanos;
            examples += seen;
            double testAcc = evaluateAccuracy(net, test);
            EpochStats stats = new EpochStats(epoch + 1, lossSum / seen, correct / seen, testAcc, seen / (epochNanos / 1e9));
            history.add(stats);
            out.printf("epoch %d: loss %.3f, train acc %.3f, test acc %.3f, %.1f examples/sec%n",
                    stats.epoch(), stats.trainLoss(), stats.trainAcc(), stats.testAcc(), stats.examplesPerSec());
            if (checkpoint != null) checkpoint.save(net, history);
        }
        return new Result(history, examples / (computeNanos / 1e9));
    }

    /** Fraction of correctly classified images, in evaluation mode and without building a graph. */
    public static double evaluateAccuracy(Layer net, DataLoader data) {
        net.eval();
        double correct = 0;
        int seen = 0;
        try (var g = NoGrad.open()) {
            for (Batch b : data.epoch(0)) {
                Tensor logits = net.forward(new Variable(Tensor.of(b.images(), imageShape(b, data)))).data();
                correct += accuracyCount(logits, b.labels());
                seen += b.size();
            }
        }
        net.train();
        return seen == 0 ? 0 : correct / seen;
    }

    /** Number of rows whose argmax (first maximum) equals the label, as d2l's accuracy(). */
    public static int accuracyCount(Tensor logits, int[] labels) {
        Tensor pred = logits.argmax(1);
        int hits = 0;
        for (int i = 0; i < labels.length; i++) if ((int) pred.get(i) == labels[i]) hits++;
        return hits;
    }

    private static int[] imageShape(Batch b, DataLoader loader) {
        int side = loader.imageSide();
        return new int[] {b.size(), 1, side, side};
    }
}
