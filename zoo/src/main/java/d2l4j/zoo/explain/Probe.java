package d2l4j.zoo.explain;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.Conv2d;
import d2l4j.layers.Layer;
import d2l4j.layers.ReLU;
import d2l4j.layers.Sequential;
import d2l4j.layers.Sigmoid;
import d2l4j.tensor.Shape;
import d2l4j.tensor.Tensor;
import d2l4j.zoo.Inception;
import java.util.ArrayList;
import java.util.List;

/**
 * A network opened up: its layers one after another, as d2l's {@code for layer in net: X = layer(X)} loop walks
 * them, and the outputs of its convolution blocks on the way (PyTorch's forward hooks, done by hand).
 *
 * <p>The steps are the net's leaf layers in order, nested {@link Sequential}s flattened (VGG's and NiN's blocks,
 * GoogLeNet's b1..b5) and an {@link Inception} block kept whole. Running them one by one computes exactly what
 * {@code net.forward} does (a Sequential only chains its children). A block output is recorded after each
 * convolution's activation (the ReLU or Sigmoid right after a Conv2d, or the Conv2d itself when none follows)
 * and after each Inception block, whose channels are the concatenation of its four paths
 * ({@link FeatureMap#branches}).
 */
public final class Probe {
    private Probe() {}

    /** One step of the walk: a leaf layer (or an Inception block) and its PyTorch path, e.g. {@code 2.0}. */
    public record Step(Layer layer, String path) {
        /** {@code 0 Conv2d}: the path and the class, as PyTorch prints a module. */
        public String title() {
            return path + " " + layer.getClass().getSimpleName();
        }
    }

    /** A consecutive range of channels [from, to) of a concatenated output, made by one path of a block. */
    public record Branch(String name, String layers, int from, int to) {}

    /**
     * A block's output for one image: after step {@code step}; {@code title} names the layers that made it
     * ({@code 0 Conv2d -> 1 Sigmoid}); {@code value} is C×H×W (the batch dimension dropped).
     */
    public record FeatureMap(int step, String title, Tensor value, List<Branch> branches) {
        public String shape() {
            return Shape.str(value.shape());
        }
    }

    /** The net's leaf layers in the order forward applies them. */
    public static List<Step> steps(Layer net) {
        List<Step> out = new ArrayList<>();
        flatten(net, out);
        return out;
    }

    private static void flatten(Layer layer, List<Step> out) {
        if (layer instanceof Sequential seq) {
            for (Layer child : seq.steps()) flatten(child, out);
        } else {
            out.add(new Step(layer, layer.path()));
        }
    }

    /** The indices of the steps after which a block output is recorded (see the class comment). */
    public static List<Integer> blockEnds(List<Step> steps) {
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Layer l = steps.get(i).layer();
            boolean afterConv = i > 0 && steps.get(i - 1).layer() instanceof Conv2d;
            boolean activation = l instanceof ReLU || l instanceof Sigmoid;
            boolean nextIsActivation = i + 1 < steps.size()
                    && (steps.get(i + 1).layer() instanceof ReLU || steps.get(i + 1).layer() instanceof Sigmoid);
            if (l instanceof Inception || (activation && afterConv) || (l instanceof Conv2d && !nextIsActivation)) ends.add(i);
        }
        return ends;
    }

    /** The last block end with a spatial output (C×H×W): the layer Grad-CAM looks at. */
    public static int lastConvolutionBlock(List<Step> steps) {
        List<Integer> ends = blockEnds(steps);
        if (ends.isEmpty()) throw new IllegalArgumentException("the net has no convolution: nothing for Grad-CAM to look at");
        return ends.get(ends.size() - 1);
    }

    /** Runs steps [from, to) on x (a Variable, so that gradients can flow when the caller wants them). */
    public static Variable run(List<Step> steps, int from, int to, Variable x) {
        for (int i = from; i < to; i++) x = steps.get(i).layer().forward(x);
        return x;
    }

    /** What one image did in the net: every block output on the way, and the logits. */
    public record Trace(List<FeatureMap> maps, float[] logits) {}

    /** Runs one image x (1×C×H×W) through the net without a graph, recording every block output. */
    public static Trace trace(List<Step> steps, Tensor x) {
        if (x.rank() != 4 || x.dim(0) != 1) {
            throw new IllegalArgumentException("trace: expected one image [1, C, H, W], got " + x.shapeString());
        }
        List<Integer> ends = blockEnds(steps);
        List<FeatureMap> maps = new ArrayList<>();
        try (var g = NoGrad.open()) {
            Variable v = new Variable(x);
            int first = 0;
            for (int i = 0; i < steps.size(); i++) {
                v = steps.get(i).layer().forward(v);
                if (ends.contains(i)) {
                    Tensor one = v.data();
                    int[] s = one.shape();
                    Tensor chw = one.reshape(java.util.Arrays.copyOfRange(s, 1, s.length));
                    maps.add(new FeatureMap(i, title(steps, first, i), chw, branches(steps.get(i).layer())));
                    first = i + 1;
                }
            }
            return new Trace(maps, v.data().toArray());
        }
    }

    // "0 Conv2d -> 1 Sigmoid": the conv and activation that made the block output (or the block itself)
    private static String title(List<Step> steps, int first, int end) {
        Step last = steps.get(end);
        if (last.layer() instanceof Inception || last.layer() instanceof Conv2d) return last.title();
        return steps.get(end - 1).title() + " -> " + last.title();
    }

    private static List<Branch> branches(Layer layer) {
        if (!(layer instanceof Inception block)) return List.of();
        List<Branch> out = new ArrayList<>();
        int from = 0;
        for (Inception.Branch b : block.branches()) {
            out.add(new Branch(layer.path() + "." + b.name(), b.layers(), from, from + b.channels()));
            from += b.channels();
        }
        return out;
    }
}
