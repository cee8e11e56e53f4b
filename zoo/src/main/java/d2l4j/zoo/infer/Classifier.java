package d2l4j.zoo.infer;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.Layer;
import d2l4j.layers.StateDict;
import d2l4j.tensor.Arena;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.zoo.Recipe;
import d2l4j.zoo.data.FashionMnist;
import d2l4j.tensor.Resize;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Inference for embedders: a zoo net with its weights, classifying Fashion-MNIST-like images.
 * <pre>
 * Classifier c = Classifier.load("lenet", Path.of("lenet.safetensors"));  // ours or PyTorch's state_dict
 * Prediction p = c.classify(pixels);          // float[784], 28×28 row-major, values in [0, 1]
 * p.topLabel(); p.top(3); p.probabilities();
 * </pre>
 *
 * <p><b>Inputs.</b> One image is 1 channel (grayscale), row-major, values in [0, 1] with white = 1 (as
 * Fashion-MNIST: a light garment on a black background). Its side is either the net's
 * ({@link #imageSide()}: 28 LeNet, 96 GoogLeNet, 224 the others) or 28, which is then resized to the net's
 * side with the bilinear {@link Resize} the training loader uses, so a 28×28 image goes exactly the way
 * training images went. A {@link BufferedImage} may have any square size and any color model: it is
 * converted to gray with PyTorch/PIL's luma weights (0.299 R + 0.587 G + 0.114 B; alpha ignored), scaled
 * by 1/255 and, if its side differs from the net's, resized by the same bilinear {@code Resize}
 * (antialias off, as torchvision on tensors: shrinking a large photo aliases; scale it to 28×28 first
 * for images much larger than the net's side). Anything else (a wrong length, 3 channels, a
 * image of the wrong size given as floats) throws IllegalArgumentException saying what the net expects. A picture
 * that is not square is centre-cropped on its long side ({@link #grayscale(BufferedImage, int, boolean)} refuses
 * it instead).
 *
 * <p><b>Threads.</b> One Classifier may be used by any number of threads at once, with no lock on the CPU:
 * the net is in eval mode and never changes, gradients are off through {@link NoGrad} (thread-local), each
 * pass's buffers come from the calling thread's {@link Arena}, and every kernel keeps its workspaces per thread
 * (ConcurrentClassifierTest checks that answers from many threads are the bits of a single thread's). A call of
 * fewer images than the backend's threads (a service's batch-1 requests) runs on the calling thread alone
 * ({@code Parallel.inline}: the same parts, the same bits), so concurrent callers each use a core; larger
 * batches use the backend's thread pool. On a device backend (OpenCL: one command queue) forward passes take
 * turns on the backend. Do not train in the same process while classifying from other threads.
 *
 * <p>Batches are cut into chunks of {@link #CHUNK} images, so a batch's answers are the same whatever
 * else runs, and the same as classifying those chunks one at a time.
 */
public final class Classifier {
    /** The largest number of images one forward pass takes. */
    public static final int CHUNK = 256;
    private static final List<String> LABELS = List.of(FashionMnist.TEXT_LABELS);

    private final String name;
    private final Layer net;
    private final int side;
    private final Resize from28;

    /** Wraps a net that takes N×1×side×side images and gives N×10 logits; puts it in eval mode. */
    public Classifier(String name, Layer net, int side) {
        this.name = name;
        this.net = net;
        this.side = side;
        this.from28 = side == FashionMnist.ROWS ? null : new Resize(FashionMnist.ROWS, side);
        net.eval();
        net.toDevice(); // on a device backend the weights go up once, here
    }

    /**
     * The zoo net {@code netName} (lenet, alexnet, vgg, vgg11, nin, googlenet) with the weights of a
     * safetensors file under PyTorch's state_dict names (written by {@code StateDict.save}, a checkpoint,
     * or {@code safetensors.torch.save_file(net.state_dict(), ...)} on d2l's PyTorch net).
     */
    public static Classifier load(String netName, Path weights) {
        return load(netName, weights, System.err::println);
    }

    /**
     * As {@link #load(String, Path)}; {@code note} receives the one line said when LeNet's weights come with d2l's
     * Chinese-edition names and are mapped ({@link d2l4j.zoo.Weights}).
     */
    public static Classifier load(String netName, Path weights, java.util.function.Consumer<String> note) {
        if (netName == null || weights == null) throw new IllegalArgumentException("Classifier.load: expected a net name and a weights file, got "
                + netName + " and " + weights);
        Recipe recipe = Recipe.of(netName);
        Layer net = recipe.create(0);
        d2l4j.zoo.Weights.load(recipe, net, weights, note);
        return new Classifier(recipe.name(), net, recipe.imageSide());
    }

    public String name() {
        return name;
    }

    /** The side the net computes on: 28 LeNet, 96 GoogLeNet, 224 AlexNet, VGG and NiN. */
    public int imageSide() {
        return side;
    }

    /** The class names, index = class: Fashion-MNIST's, as d2l's get_fashion_mnist_labels. */
    public List<String> labels() {
        return LABELS;
    }

    /** The net itself (in eval mode; do not change it while other threads classify). */
    public Layer net() {
        return net;
    }

    /** One image: side² or 28² floats (see the class comment). */
    public Prediction classify(float[] image) {
        return classify(image, 1).get(0);
    }

    /** One image given with its dimensions, checked: 1 channel, square, 28 or the net's side. */
    public Prediction classify(float[] image, int channels, int height, int width) {
        checkDims(channels, height, width);
        if (image.length != (long) height * width) {
            throw new IllegalArgumentException(name + ": a 1x" + height + "x" + width + " image has "
                    + height * width + " floats, got " + image.length);
        }
        return classify(image);
    }

    /** {@code count} images one after the other, each side² or each 28² floats. */
    public List<Prediction> classify(float[] images, int count) {
        float[] logits = logits(images, count);
        List<Prediction> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(new Prediction(softmax(logits, i * 10, 10), LABELS));
        return out;
    }

    /** The raw logits of {@code count} images (as {@link #classify(float[], int)} takes them): count×10, row-major. */
    public float[] logits(float[] images, int count) {
        float[] x = toNetSide(images, count);
        int len = side * side, classes = LABELS.size();
        float[] logits = new float[count * classes];
        for (int from = 0; from < count; from += CHUNK) {
            int n = Math.min(CHUNK, count - from);
            float[] chunk = Arrays.copyOfRange(x, from * len, (from + n) * len);
            System.arraycopy(forward(chunk, n), 0, logits, from * classes, n * classes);
        }
        return logits;
    }

    /**
     * One image as the net takes it, side×side floats: {@code image} is side² or 28² floats (then resized as in
     * training); anything else throws IllegalArgumentException saying what the net expects. For callers that
     * gather images from several sources into one batch ({@link #logits(float[], int)}).
     */
    public float[] prepare(float[] image) {
        float[] x = toNetSide(image, 1);
        return x == image ? image.clone() : x;
    }

    /** A picture of any size and color model, centre-cropped to a square if it is not one (see the class comment). */
    public Prediction classify(BufferedImage image) {
        if (image == null) throw new IllegalArgumentException(name + ": expected an image, got null");
        return classify(grayscale(image, side));
    }

    /** The logits of n images of side×side, N×10, computed without a graph (see the class comment on threads). */
    private float[] forward(float[] x, int n) {
        var backend = Backends.current();
        if (backend instanceof d2l4j.kernels.CpuBackend cpu) {
            if (n < cpu.threads()) return d2l4j.kernels.Parallel.inline(() -> pass(x, n));
            return pass(x, n);
        }
        synchronized (backend) { // a device's command queue: one pass at a time
            return pass(x, n);
        }
    }

    private float[] pass(float[] x, int n) {
        // the batch goes up, the logits come down; the pass's buffers go back to the pool at the end
        try (var g = NoGrad.open(); Arena pass = Arena.open()) {
            Tensor in = Backends.current().toDevice(Tensor.of(x, n, 1, side, side));
            Tensor y = net.forward(new Variable(in)).data();
            if (y.rank() != 2 || y.dim(0) != n || y.dim(1) != LABELS.size()) {
                throw new IllegalStateException(name + ": expected logits [" + n + ", 10], got " + y.shapeString());
            }
            return y.toArray();
        }
    }

    private float[] toNetSide(float[] images, int count) {
        if (images == null) throw new IllegalArgumentException(name + ": expected image pixels, got null");
        for (int i = 0; i < images.length; i++) {
            if (!Float.isFinite(images[i])) {
                throw new IllegalArgumentException(name + ": pixel " + i + " is " + images[i] + "; expected finite values in [0, 1]");
            }
        }
        if (count < 1) throw new IllegalArgumentException(name + ": need at least one image, got " + count);
        int len = side * side, small = FashionMnist.PIXELS;
        if (images.length == (long) count * len) return images;
        if (from28 != null && images.length == (long) count * small) {
            float[] out = new float[count * len];
            for (int i = 0; i < count; i++) from28.apply(images, i * small, out, i * len);
            return out;
        }
        String expected = name + " expects " + count + (count == 1 ? " image" : " images") + " of 1x" + side + "x"
                + side + " (" + (long) count * len + " floats" + (from28 == null ? ")" : ") or of 1x28x28 ("
                + (long) count * small + " floats, resized as in training)");
        for (int c : new int[] {3, 4}) {
            if (images.length == (long) count * c * len || images.length == (long) count * c * small) {
                throw new IllegalArgumentException(expected + ", got " + images.length + " floats: " + c
                        + " channels? the net takes 1 (grayscale)");
            }
        }
        throw new IllegalArgumentException(expected + ", got " + images.length + " floats");
    }

    private void checkDims(int channels, int height, int width) {
        if (channels != 1 || height != width || (height != side && height != FashionMnist.ROWS)) {
            throw new IllegalArgumentException(name + " expects images of 1x" + side + "x" + side
                    + (side == FashionMnist.ROWS ? "" : " or 1x28x28 (resized as in training)")
                    + " (channels x height x width), got " + channels + "x" + height + "x" + width);
        }
    }

    /**
     * A picture as side×side gray floats in [0, 1]: a picture that is not square first loses the ends of its long
     * side ({@link Images#centreCrop}: the usual practice, keeping the aspect ratio), then luma 0.299 R + 0.587 G +
     * 0.114 B of the sRGB components (ITU-R 601-2, PIL's convert("L")), / 255, then bilinear {@link Resize} to
     * {@code side}. Gray images (TYPE_BYTE_GRAY, TYPE_USHORT_GRAY, what ImageIO gives for a gray PNG) keep their
     * stored values. (CMYK JPEGs, which ImageIO cannot read, are refused by {@link Images#decode}.)
     */
    public static float[] grayscale(BufferedImage image, int side) {
        return grayscale(image, side, true);
    }

    /** As {@link #grayscale(BufferedImage, int)}; with {@code crop} false a picture that is not square is refused. */
    public static float[] grayscale(BufferedImage image, int side, boolean crop) {
        if (image.getWidth() != image.getHeight()) {
            if (!crop) {
                throw new IllegalArgumentException("expected a square image (the nets take side x side), got "
                        + image.getWidth() + "x" + image.getHeight() + ": crop or pad it first");
            }
            image = Images.centreCrop(image);
        }
        int w = image.getWidth(), h = image.getHeight();
        float[] gray = new float[w * h];
        int type = image.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY) {
            // gray PNGs: the stored values as they are (getRGB would pass them through a gamma conversion)
            float max = type == BufferedImage.TYPE_BYTE_GRAY ? 255f : 65535f;
            var raster = image.getRaster();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) gray[y * w + x] = raster.getSample(x, y, 0) / max;
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = image.getRGB(x, y);
                    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                    // r = g = b (a gray picture in RGB) gives exactly that value, as the data loader's p / 255
                    float luma = r == g && g == b ? r : 0.299f * r + 0.587f * g + 0.114f * b;
                    gray[y * w + x] = luma / 255f;
                }
            }
        }
        if (w == side) return gray;
        float[] out = new float[side * side];
        new Resize(w, side).apply(gray, 0, out, 0);
        return out;
    }

    /** softmax(z) = exp(z − max z) / Σ exp(z − max z), summed in double. */
    public static float[] softmax(float[] z, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, z[off + i]);
        double[] e = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) sum += e[i] = Math.exp((double) z[off + i] - max);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = (float) (e[i] / sum);
        return p;
    }
}
