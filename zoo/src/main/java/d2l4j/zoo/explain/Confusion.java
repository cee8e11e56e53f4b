package d2l4j.zoo.explain;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.Layer;
import d2l4j.tensor.Arena;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How the net does on a test set, class by class: the confusion matrix (row = true class, column = predicted,
 * the prediction being the first maximum of the logits, as d2l's accuracy), each class's accuracy (the
 * diagonal over the row's sum), and the images it got wrong with the highest softmax probability.
 */
public final class Confusion {
    private final int[][] counts;
    private final List<Mistake> worst;
    private final int total;

    /** A wrong answer: the image's index in the test set, its true and predicted class, the predicted probability. */
    public record Mistake(int index, int label, int predicted, float probability) {}

    private Confusion(int[][] counts, List<Mistake> worst, int total) {
        this.counts = counts;
        this.worst = worst;
        this.total = total;
    }

    /** Evaluates {@code net} (eval mode, no graph) on the loader's images in order; keeps the {@code keep} worst mistakes. */
    public static Confusion evaluate(Layer net, DataLoader data, int keep) {
        Backend backend = Backends.current();
        int classes = FashionMnist.CLASSES;
        int[][] counts = new int[classes][classes];
        List<Mistake> wrong = new ArrayList<>();
        int seen = 0;
        net.eval();
        try (var g = NoGrad.open()) {
            for (DataLoader.PixelBatch b : data.pixelEpoch(0)) {
                float[] logits;
                try (Arena batch = Arena.open()) {
                    Tensor x = backend.images(b.pixels(), 0, b.size(), FashionMnist.ROWS, data.imageSide());
                    logits = net.forward(new Variable(x)).data().toArray();
                }
                for (int i = 0; i < b.size(); i++) {
                    int predicted = argmax(logits, i * classes, classes), label = b.labels()[i];
                    counts[label][predicted]++;
                    if (predicted != label) {
                        wrong.add(new Mistake(seen + i, label, predicted, softmaxAt(logits, i * classes, classes, predicted)));
                    }
                }
                seen += b.size();
            }
        }
        wrong.sort(Comparator.comparingDouble((Mistake m) -> -m.probability()).thenComparingInt(Mistake::index));
        return new Confusion(counts, List.copyOf(wrong.subList(0, Math.min(keep, wrong.size()))), seen);
    }

    /** counts[true][predicted]. */
    public int count(int label, int predicted) {
        return counts[label][predicted];
    }

    public int total() {
        return total;
    }

    /** Correct over all. */
    public double accuracy() {
        int hits = 0;
        for (int c = 0; c < counts.length; c++) hits += counts[c][c];
        return total == 0 ? 0 : hits / (double) total;
    }

    /** Correct over the images of class {@code label} (NaN when there are none). */
    public double classAccuracy(int label) {
        int n = 0;
        for (int p = 0; p < counts.length; p++) n += counts[label][p];
        return n == 0 ? Double.NaN : counts[label][label] / (double) n;
    }

    /** The wrong answers given with the highest probability, highest first. */
    public List<Mistake> worst() {
        return worst;
    }

    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }

    /** softmax(v[off .. off+n))[k], as the Classifier computes it. */
    static float softmaxAt(float[] v, int off, int n, int k) {
        return d2l4j.zoo.infer.Classifier.softmax(v, off, n)[k];
    }
}
