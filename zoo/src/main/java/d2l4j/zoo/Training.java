package d2l4j.zoo;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.CrossEntropyLoss;
import d2l4j.layers.Dropout;
import d2l4j.layers.Layer;
import d2l4j.layers.Sgd;
import d2l4j.autograd.ops.SoftmaxCrossEntropyOp;
import d2l4j.tensor.Arena;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.DeviceCounters;
import d2l4j.tensor.Tensor;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * d2l's train_ch6 (d2l.ai, section 7.6.2) as one function a reader can follow: per batch forward, loss,
 * zero the gradients, backward, SGD step; metrics summed per epoch; test accuracy after each epoch.
 * As d2l, the examples/sec figure times only the per-batch forward, backward and update.
 */
public final class Training {
    private Training() {}

    /**
     * One epoch's numbers, as d2l's Animator plots them, and per parameter (state_dict name) the L2 norms of its
     * weights after the epoch and of its gradient in the epoch's last step, {weight, gradient} (empty when not
     * recorded: a checkpoint written before they were).
     */
    public record EpochStats(int epoch, double trainLoss, double trainAcc, double testAcc, double examplesPerSec,
                             Map<String, double[]> norms) {
        public EpochStats(int epoch, double trainLoss, double trainAcc, double testAcc, double examplesPerSec) {
            this(epoch, trainLoss, trainAcc, testAcc, examplesPerSec, Map.of());
        }
    }

    public record Result(List<EpochStats> epochs, double examplesPerSec) {
        public EpochStats last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    /** A mean training loss above this (10 × ln 10, ten times a uniform guess over the 10 classes) ends the run. */
    static final double DIVERGED = 10 * Math.log(10);

    public static Result train(Layer net, DataLoader train, DataLoader test, int epochs, float lr, PrintStream out) {
        return train(net, train, test, epochs, lr, out, null, List.of(), false, true);
    }

    /**
     * As above, continuing after the epochs in {@code done} (their metrics, from a checkpoint whose weights
     * {@code net} already holds), and saving {@code checkpoint} (nullable) after each complete epoch. A
     * non-finite loss throws ArithmeticException before the epoch's checkpoint, so the last one stays good.
     * With {@code stats}, prints after every step but the first (warm-up) one its time and what the backend
     * did (launches, allocations, bytes up and down, waits); the step then waits for the device to time it.
     *
     * <p>Where things live: the net is moved to the backend's device first ({@link Layer#toDevice}); per
     * step only the batch goes up (28×28 bytes an image and the labels: scaling and resizing happen where
     * the backend computes) and nothing comes down: the loss sum and the hit count accumulate on the
     * device and are read when the progress bar redraws and at the end of the epoch. Each step runs in an
     * {@link Arena}, which hands the step's buffers back to the backend when it ends.
     */
    public static Result train(Layer net, DataLoader train, DataLoader test, int epochs, float lr, PrintStream out,
                               Checkpoint checkpoint, List<EpochStats> done, boolean stats) {
        return train(net, train, test, epochs, lr, out, checkpoint, done, stats, checkpoint != null);
    }

    /**
     * As above; with {@code norms}, the epoch's last step also reads every parameter's weight and gradient to
     * record their L2 norms ({@link EpochStats#norms}; on a device backend, a read of the whole net once an epoch).
     */
    public static Result train(Layer net, DataLoader train, DataLoader test, int epochs, float lr, PrintStream out,
                               Checkpoint checkpoint, List<EpochStats> done, boolean stats, boolean norms) {
        boolean recordNorms = norms;
        if (train.size() == 0) throw new IllegalArgumentException("the training set is empty: nothing to train on");
        if (test.size() == 0) throw new IllegalArgumentException("the test set is empty: no test accuracy to report");
        Backend backend = Backends.current();
        net.toDevice();
        Sgd sgd = new Sgd(net.parameters(), lr);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        List<EpochStats> history = new ArrayList<>(done);
        long computeNanos = 0;
        long examples = 0;
        int side = train.imageSide(), steps = 0;
        for (int epoch = done.size(); epoch < epochs; epoch++) {
            net.train();
            // dropout masks, as the data order, are a function of (seed, epoch): what makes resuming exact
            for (Layer l : net.layers()) if (l instanceof Dropout d) d.startEpoch(epoch);
            Tensor sums = backend.zeros(3); // loss·n (+ its Kahan compensation), hits: on the device
            float[] read = new float[3];
            int seen = 0, batchIndex = 0, lastRead = 0;
            long epochNanos = 0;
            Progress bar = new Progress(out, String.format("epoch %d/%d", epoch + 1, epochs), train.batchesPerEpoch());
            Map<String, double[]> epochNorms = Map.of();
            for (DataLoader.PixelBatch b : train.pixelEpoch(epoch)) {
                long t0 = System.nanoTime();
                DeviceCounters before = backend.counters();
                try (Arena step = Arena.open()) {
                    Tensor labels = backend.labels(b.labels(), b.size());
                    Variable x = new Variable(backend.images(b.pixels(), 0, b.size(), FashionMnist.ROWS, side));
                    Variable yHat = net.forward(x);
                    SoftmaxCrossEntropyOp.checkLabels(b.labels(), b.size(), yHat.data().dim(1));
                    Variable l = loss.forward(yHat, labels);
                    sgd.zeroGrad();
                    l.backward();
                    boolean lastStep = recordNorms && batchIndex + 1 == train.batchesPerEpoch();
                    if (lastStep) epochNorms = gradientNorms(net); // before the step's buffers go back to the pool
                    sgd.step();
                    if (lastStep) weightNorms(net, epochNorms);
                    backend.accumulateMetrics(sums, l.data(), yHat.data(), labels);
                    if (stats) backend.sync();
                }
                long t1 = System.nanoTime();
                if (stats && steps > 0) {
                    out.printf("step %d: %.2f ms, %s%n", steps + 1, (t1 - t0) / 1e6, backend.counters().minus(before));
                }
                steps++;
                seen += b.size();
                batchIndex++;
                boolean last = batchIndex == train.batchesPerEpoch();
                if (last || bar.wantsUpdate(batchIndex)) {
                    read = sums.toArray(); // waits for the device: the only read of the epoch's metrics
                    if (!Float.isFinite(read[0])) {
                        throw new ArithmeticException("training diverged: the loss is " + read[0] + " at epoch " + (epoch + 1)
                                + (lastRead + 1 == batchIndex ? ", batch " + batchIndex
                                : ", in batches " + (lastRead + 1) + "-" + batchIndex) + " (try a smaller --lr)");
                    }
                    lastRead = batchIndex;
                }
                epochNanos += System.nanoTime() - t0;
                if (lastRead == batchIndex) bar.update(batchIndex, seen / (epochNanos / 1e9), read[0] / seen);
            }
            bar.finish();
            computeNanos += epochNanos;
            examples += seen;
            double testAcc = evaluateAccuracy(net, test);
            EpochStats es = new EpochStats(epoch + 1, (double) read[0] / seen, (double) read[2] / seen, testAcc,
                    seen / (epochNanos / 1e9), epochNorms);
            if (es.trainLoss() > DIVERGED) { // finite but exploding: the run is lost, keep the last good checkpoint
                throw new ArithmeticException(String.format(java.util.Locale.ROOT, "training diverged: epoch %d's mean loss is "
                        + "%.4g, over 10 times a uniform guess's ln 10 = 2.303 (try a smaller --lr)", es.epoch(), es.trainLoss()));
            }
            history.add(es);
            out.printf("epoch %d: loss %.3f, train acc %.3f, test acc %.3f, %.1f examples/sec%n",
                    es.epoch(), es.trainLoss(), es.trainAcc(), es.testAcc(), es.examplesPerSec());
            if (checkpoint != null) checkpoint.save(net, history);
        }
        return new Result(history, examples / (computeNanos / 1e9));
    }

    /**
     * Fraction of correctly classified images, in evaluation mode and without building a graph; the hits
     * are counted where the backend computes and read once at the end.
     */
    public static double evaluateAccuracy(Layer net, DataLoader data) {
        Backend backend = Backends.current();
        net.eval();
        Tensor sums = backend.zeros(3);
        int seen = 0;
        try (var g = NoGrad.open()) {
            for (DataLoader.PixelBatch b : data.pixelEpoch(0)) {
                try (Arena batch = Arena.open()) {
                    Tensor labels = backend.labels(b.labels(), b.size());
                    Tensor x = backend.images(b.pixels(), 0, b.size(), FashionMnist.ROWS, data.imageSide());
                    backend.accumulateMetrics(sums, null, net.forward(new Variable(x)).data(), labels);
                }
                seen += b.size();
            }
        }
        net.train();
        return seen == 0 ? 0 : sums.toArray()[2] / (double) seen;
    }

    // {‖∇p‖, 0} per parameter, in state_dict order (the weight norms are filled in after the update)
    private static Map<String, double[]> gradientNorms(Layer net) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (var e : net.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            out.put(e.getKey(), new double[] {0, g == null ? 0 : norm(g.toArray())});
        }
        return out;
    }

    private static void weightNorms(Layer net, Map<String, double[]> norms) {
        for (var e : net.namedParameters().entrySet()) norms.get(e.getKey())[0] = norm(e.getValue().data().toArray());
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }

    /** Number of rows whose argmax (first maximum) equals the label, as d2l's accuracy(). */
    public static int accuracyCount(Tensor logits, int[] labels) {
        Tensor pred = logits.argmax(1);
        int hits = 0;
        for (int i = 0; i < labels.length; i++) if ((int) pred.get(i) == labels[i]) hits++;
        return hits;
    }
}
