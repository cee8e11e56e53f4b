package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.Layer;
import d2l4j.layers.StateDict;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.zoo.data.FashionMnist;
import d2l4j.zoo.infer.Classifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights between PyTorch and d2l4j (src/reference/interop.py). In CI: LeNet with PyTorch's default
 * initialization (logits), a PyTorch-trained LeNet (all 10000 test predictions), and every net's
 * Java → file → Java round trip. By hand, for the four big nets (their files are 9-230 MB):
 * {@code interop.py torch-to-java} then {@code -Dd2l4j.interop.dir=/tmp/d2l4j-interop}, and
 * {@code -Dd2l4j.interop.out=DIR} then {@code interop.py java-to-torch DIR}.
 */
class InteropTest {
    static final Path ROOT = Path.of(System.getProperty("d2l4j.root", "..")).toAbsolutePath().normalize();
    static final Path INTEROP = ROOT.resolve("src/reference/data/interop");
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    static final double TOLERANCE = 1e-4; // of the largest |logit|, as ZooReferenceTest

    @TempDir
    Path dir;

    static float[] logits(Layer net, float[] x, int n, int side) {
        net.eval();
        try (var g = NoGrad.open()) {
            return net.forward(new Variable(Tensor.of(x, n, 1, side, side))).data().toArray();
        }
    }

    static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        double max = 0, err = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        assertTrue(err <= TOLERANCE * max, what + ": max |error| " + err + " > " + TOLERANCE + " x " + max);
        System.out.printf("%s: max |error| / max |logit| = %.2e%n", what, err / max);
    }

    /** PyTorch's file for {@code net} (weights + io), from the committed folder or -Dd2l4j.interop.dir. */
    private static void checkTorchFile(String name, Path folder) {
        Recipe r = Recipe.of(name);
        Layer net = r.create(123);
        StateDict.load(net, folder.resolve(name + "_torch.safetensors"));
        SafeTensors io = SafeTensors.read(folder.resolve(name + "_torch_io.safetensors"));
        int[] xs = io.shape("x");
        assertClose(io.f32("logits"), logits(net, io.f32("x"), xs[0], xs[2]), name + " PyTorch weights, logits");
    }

    @Test
    void pytorchInitializedLeNetGivesPytorchLogits() {
        checkTorchFile("lenet", INTEROP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "vgg", "nin", "googlenet"})
    void pytorchInitializedBigNetsGivePytorchLogits(String name) {
        String folder = System.getProperty("d2l4j.interop.dir");
        assumeTrue(folder != null, "by hand: interop.py torch-to-java, then -Dd2l4j.interop.dir=/tmp/d2l4j-interop");
        checkTorchFile(name, Path.of(folder));
    }

    /** Java → safetensors → Java for every net; with -Dd2l4j.interop.out=DIR also the files for interop.py. */
    @ParameterizedTest
    @ValueSource(strings = {"lenet", "alexnet", "vgg", "nin", "googlenet"})
    void everyNetRoundTripsThroughSafetensors(String name) {
        Recipe r = Recipe.of(name);
        Layer a = r.create(11), b = r.create(12);
        String out = System.getProperty("d2l4j.interop.out");
        Path folder = out != null ? Path.of(out) : dir;
        Path file = folder.resolve(name + "_java.safetensors");
        StateDict.save(a, file, Map.of("net", name));
        StateDict.load(b, file);
        var pa = a.namedParameters();
        var pb = b.namedParameters();
        assertEquals(List.copyOf(pa.keySet()), List.copyOf(pb.keySet()));
        for (String k : pa.keySet()) assertArrayEquals(pa.get(k).data().toArray(), pb.get(k).data().toArray(), 0f, k);
        int side = r.imageSide();
        float[] x = new float[2 * side * side];
        for (int i = 0; i < x.length; i++) x[i] = (float) ((Math.sin(i * 0.37) + 1) / 2);
        float[] la = logits(a, x, 2, side);
        assertArrayEquals(la, logits(b, x, 2, side), 0f, name + " logits after the round trip");
        if (out != null) {
            SafeTensors.builder().f32("x", new int[] {2, 1, side, side}, x).f32("logits", new int[] {2, 10}, la)
                    .meta("net", name).write(folder.resolve(name + "_java_io.safetensors"));
        }
    }

    @Test
    void pytorchTrainedLeNetGivesPytorchsTestPredictionsImageForImage() {
        assumeTrue(Files.isRegularFile(DATA.resolve(FashionMnist.TEST_IMAGES)), "Fashion-MNIST not installed in " + DATA);
        FashionMnist test = FashionMnist.load(DATA, false);
        SafeTensors want = SafeTensors.read(INTEROP.resolve("lenet_trained_predictions.safetensors"));
        int[] pred = want.ints("pred");
        float[] margin = want.f32("margin");
        Classifier c = Classifier.load("lenet", INTEROP.resolve("lenet_trained.safetensors"));
        int n = test.size();
        float[] x = new float[n * FashionMnist.PIXELS];
        for (int i = 0; i < x.length; i++) x[i] = (test.pixels()[i] & 0xff) / 255f;
        float[] logits = c.logits(x, n);
        List<String> differ = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) if (logits[i * 10 + k] > logits[i * 10 + best]) best = k;
            if (best != pred[i]) differ.add("image " + i + ": java " + best + ", pytorch " + pred[i] + " (pytorch's top-2 gap " + margin[i] + ")");
            if (best == test.label(i)) correct++;
        }
        System.out.printf("PyTorch-trained LeNet: %d of %d predictions identical, test accuracy %.4f%n",
                n - differ.size(), n, correct / (double) n);
        assertTrue(differ.isEmpty(), differ.size() + " predictions differ: " + differ);
    }
}
