package d2l4j.zoo.explain;

import d2l4j.layers.Conv2d;
import d2l4j.layers.Layer;
import d2l4j.layers.StateDict;
import d2l4j.tensor.Resize;
import d2l4j.tensor.io.Json;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.zoo.Checkpoint;
import d2l4j.zoo.Recipe;
import d2l4j.zoo.Training;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import d2l4j.zoo.infer.Classifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code d2l4j show <net> --weights FILE}: the pieces of a {@link Report} gathered from files: the net with its
 * weights, the history and norms when the file is a training checkpoint, the initial weights (--initial FILE,
 * or the checkpoint folder's initial.safetensors), and the images to explain.
 */
public final class Show {
    private Show() {}

    /** The report for {@code netName} with the weights in {@code weights}; see the class comment. */
    public static Report.Input input(String netName, Path weights, Path initial, String imageSpec, FashionMnist testSet,
                                     int testLimit) {
        Recipe recipe = Recipe.of(netName);
        Layer net = recipe.create(0);
        SafeTensors st = d2l4j.zoo.Weights.load(recipe, net, weights, System.err::println);
        List<Training.EpochStats> history = st.metadata().containsKey("history") && st.metadata().containsKey("epochs_done")
                ? Checkpoint.history(st, weights) : List.of();
        if (initial == null) {
            Path beside = weights.toAbsolutePath().resolveSibling(Checkpoint.INITIAL);
            if (weights.getFileName().toString().equals(Checkpoint.FILE) && Files.isRegularFile(beside)) initial = beside;
        }
        float[] initialFilters = null;
        if (initial != null) {
            Layer start = recipe.create(0);
            d2l4j.zoo.Weights.load(recipe, start, initial, System.err::println);
            initialFilters = firstConvolution(start).weight().data().toArray();
        }
        int side = recipe.imageSide();
        DataLoader test = new DataLoader(testSet, 256, false, 0, testLimit).resized(side);
        return new Report.Input(recipe.name(), net.toDevice(), side, weights.toString(), history, initialFilters, test,
                images(imageSpec, testSet, side));
    }

    /** The first Conv2d of a net, in forward order. */
    public static Conv2d firstConvolution(Layer net) {
        for (Probe.Step s : Probe.steps(net)) if (s.layer() instanceof Conv2d c) return c;
        throw new IllegalArgumentException(net.label() + " has no convolution");
    }

    /**
     * The images a spec names: comma-separated test-set indices ({@code 0,17}) or image files (anything else);
     * null or empty: the first pullover (a sweater) and the first coat of the test set, as in d2l's LeNet exercise,
     * then the first image of every other class.
     */
    public static List<Report.Image> images(String spec, FashionMnist testSet, int side) {
        List<Report.Image> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            List<Integer> classes = new ArrayList<>(List.of(2, 4)); // Pullover, Coat
            for (int c = 0; c < FashionMnist.CLASSES; c++) if (c != 2 && c != 4) classes.add(c);
            for (int c : classes) {
                for (int i = 0; i < testSet.size(); i++) {
                    if (testSet.label(i) == c) {
                        out.add(testImage(testSet, i, side));
                        break;
                    }
                }
            }
            return out;
        }
        for (String item : spec.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) continue;
            if (s.matches("\\d{1,9}")) {
                int i = Integer.parseInt(s);
                if (i >= testSet.size()) {
                    throw new IllegalArgumentException("--images: test image " + i + " does not exist (the test set has "
                            + testSet.size() + ", indices 0-" + (testSet.size() - 1) + ")");
                }
                out.add(testImage(testSet, i, side));
            } else {
                out.add(new Report.Image(Path.of(s).getFileName().toString(), Classifier.grayscale(d2l4j.zoo.infer.Images.read(Path.of(s), d2l4j.zoo.infer.Images.MAX_PIXELS), side), -1));
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--images: no image in " + Json.quote(spec));
        return out;
    }

    private static Report.Image testImage(FashionMnist testSet, int i, int side) {
        float[] px = new float[FashionMnist.PIXELS];
        byte[] all = testSet.pixels();
        for (int j = 0; j < px.length; j++) px[j] = (all[i * FashionMnist.PIXELS + j] & 0xff) / 255f;
        if (side != FashionMnist.ROWS) {
            float[] big = new float[side * side];
            new Resize(FashionMnist.ROWS, side).apply(px, 0, big, 0);
            px = big;
        }
        return new Report.Image("test image " + i, px, testSet.label(i));
    }
}
