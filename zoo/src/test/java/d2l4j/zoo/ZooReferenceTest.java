package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.autograd.Variable;
import d2l4j.layers.CrossEntropyLoss;
import d2l4j.layers.Layer;
import d2l4j.layers.Parameter;
import d2l4j.layers.Sgd;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.testkit.HashFill;
import d2l4j.testkit.PyTorchCases;
import d2l4j.testkit.TestBackends;
import d2l4j.zoo.data.Batch;
import d2l4j.zoo.data.DataFolder;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AlexNet, VGG, NiN and GoogLeNet against PyTorch at d2l's input sizes with a batch of 2 real images
 * (resized by PyTorch's bilinear interpolation; ours must agree, so the loader's resize is checked too):
 * logits, loss and every parameter's gradient (full tensors where small; the L2 norm plus 512 sampled
 * entries for big ones), in eval mode (dropout off), from the shared HashFill initial weights
 * (parameter i = HashFill.uniform(2000 + i, numel, bound)); then five SGD steps with d2l's lr.
 */
class ZooReferenceTest {
    private static final List<String> NETS = List.of("alexnet", "vgg", "nin", "googlenet");

    @AfterAll
    static void restore() {
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
    }

    static Stream<Arguments> netsAndBackends() {
        List<Arguments> out = new ArrayList<>();
        for (String n : NETS) {
            out.add(Arguments.of(n, TestBackends.fastest()));
            out.add(Arguments.of(n, Backends.open("cpu:reference", 2)));
            if (TestBackends.openClOrNull() != null) out.add(Arguments.of(n, TestBackends.openClOrNull()));
        }
        return out.stream();
    }

    static Stream<String> nets() {
        return NETS.stream();
    }

    /** The net with the formula's weights; checks names against PyTorch's state_dict and the initial sums. */
    static Layer formulaNet(String name, SafeTensors f) {
        Layer net = Recipe.of(name).create(0);
        Map<String, Parameter> ours = net.namedParameters();
        assertEquals(List.of(f.meta("state_dict").split(",")), new ArrayList<>(ours.keySet()),
                name + ": parameter names must match PyTorch's state_dict");
        int i = 0;
        for (var e : ours.entrySet()) {
            Tensor t = e.getValue().data();
            float bound = Float.parseFloat(f.meta("init.bound." + e.getKey()));
            t.copyFrom(Tensor.of(HashFill.uniform(2000 + i, t.numel(), bound), t.shape()));
            double sum = 0;
            for (float v : t.toArray()) sum += v;
            assertEquals(Double.parseDouble(f.meta("init_sum." + e.getKey())), sum, 1e-9 * t.numel() + 1e-12,
                    name + ": initial sum of " + e.getKey());
            i++;
        }
        net.eval();
        return net.toDevice();
    }

    @org.junit.jupiter.api.Test
    void openClDeviceIsPresentForTheAgreementCases() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestBackends.openClOrNull() != null, "OpenCL cases not run: " + TestBackends.whyNoOpenCl());
    }

    /** Two real training images at the net's size, resized by our loader. */
    private static Batch images(String name, int count, int offset) {
        FashionMnist train = FashionMnist.load(DataFolder.resolve(null), true);
        DataLoader loader = new DataLoader(train, 2, false, 0, offset + count).resized(Recipe.of(name).imageSide());
        List<Batch> all = new ArrayList<>();
        for (Batch b : loader.epoch(0)) all.add(b);
        return all.get(offset / 2);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("netsAndBackends")
    void logitsLossAndGradients(String name, Backend backend) {
        Backends.use(backend);
        SafeTensors f = PyTorchCases.load(name, 0);
        Layer net = formulaNet(name, f);
        Batch b = images(name, 2, 0);
        int side = Recipe.of(name).imageSide();
        assertEquals(List.of(f.ints("labels")[0], f.ints("labels")[1]), List.of(b.labels()[0], b.labels()[1]));
        Variable logits = net.forward(new Variable(Tensor.of(b.images(), 2, 1, side, side)));
        Variable loss = new CrossEntropyLoss().forward(logits, b.labels());
        close(name + " logits", f.f32("logits"), logits.data().toArray(), 1e-4);
        close(name + " loss", f.f32("loss"), loss.data().toArray(), 1e-4);
        loss.backward();
        // Gradients: 5e-3 of the largest entry. The first layers' gradients have passed back through up to
        // 22 layers (GoogLeNet) and sum thousands of products of mixed sign, so float32 noise is large there:
        // PyTorch's own float32 gradient of GoogLeNet's 0.0.bias differs from its float64 one by 2.1e-3 of the
        // maximum (0.0.weight: 1.5e-3). Ours differs from PyTorch's float32 by 2.2e-3 there; elsewhere far less.
        for (var e : net.namedParameters().entrySet()) {
            String p = e.getKey();
            float[] g = e.getValue().grad().toArray();
            if (f.has("grad." + p)) {
                close(name + " grad." + p, f.f32("grad." + p), g, 5e-3);
            } else {
                double norm = 0;
                for (float v : g) norm += (double) v * v;
                norm = Math.sqrt(norm);
                double expected = f.f32("gradnorm." + p)[0];
                assertTrue(Math.abs(norm - expected) <= 1e-3 * expected + 1e-9,
                        name + " gradnorm." + p + ": " + norm + ", PyTorch " + expected);
                long[] idx = f.i64("gradidx." + p);
                float[] sample = new float[idx.length];
                for (int j = 0; j < idx.length; j++) sample[j] = g[(int) idx[j]];
                close(name + " gradsample." + p, f.f32("gradsample." + p), sample, 5e-3);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void fiveSgdStepsFollowPyTorch(String name) {
        Backends.use(TestBackends.fastest());
        SafeTensors f = PyTorchCases.load(name + "_sgd5", 0);
        Layer net = formulaNet(name, f);
        float[] expected = f.f32("losses");
        int side = Recipe.of(name).imageSide();
        Sgd sgd = new Sgd(net.parameters(), f.metaFloat("lr"));
        for (int t = 0; t < expected.length; t++) {
            Batch b = images(name, 2, 2 * t);
            Variable l = new CrossEntropyLoss().forward(net.forward(new Variable(Tensor.of(b.images(), 2, 1, side, side))), b.labels());
            float ours = l.data().item();
            double rel = Math.abs(ours - expected[t]) / Math.abs(expected[t]);
            assertTrue(rel <= 1e-3, name + " step " + t + ": loss " + ours + ", PyTorch " + expected[t] + " (relative " + rel + ")");
            sgd.zeroGrad();
            l.backward();
            sgd.step();
        }
    }

    /** Within {@code rel} of the largest reference magnitude (float32 sums in another order). */
    static void close(String what, float[] expected, float[] actual, double rel) {
        assertEquals(expected.length, actual.length, what + ": size");
        double max = 0;
        for (float v : expected) max = Math.max(max, Math.abs(v));
        double tol = rel * max + 1e-7;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", PyTorch gives " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
