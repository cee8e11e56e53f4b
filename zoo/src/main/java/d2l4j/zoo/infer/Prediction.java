package d2l4j.zoo.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One image's class probabilities (softmax of the logits) with their labels.
 *
 * @param probabilities one per class, summing to 1 (a copy is handed out)
 * @param labels        the class names, index = class
 */
public record Prediction(float[] probabilities, List<String> labels) {

    /** One class with its probability. */
    public record Scored(int index, String label, float probability) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s (%d) %.4f", label, index, probability);
        }
    }

    public Prediction {
        probabilities = probabilities.clone();
        labels = List.copyOf(labels);
        if (probabilities.length != labels.size()) {
            throw new IllegalArgumentException("Prediction: " + probabilities.length + " probabilities for "
                    + labels.size() + " labels");
        }
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** The most probable class (the first of equals, as argmax). */
    public int top() {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
        return best;
    }

    public String topLabel() {
        return labels.get(top());
    }

    /** The {@code k} most probable classes, most probable first (ties: lower index first). */
    public List<Scored> top(int k) {
        Integer[] idx = new Integer[probabilities.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> probabilities[a] != probabilities[b]
                ? Float.compare(probabilities[b], probabilities[a]) : Integer.compare(a, b));
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, idx.length); i++) {
            out.add(new Scored(idx[i], labels.get(idx[i]), probabilities[idx[i]]));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && Arrays.equals(probabilities, p.probabilities) && labels.equals(p.labels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(probabilities) * 31 + labels.hashCode();
    }

    @Override
    public String toString() {
        return "Prediction" + top(3);
    }
}
