package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.autograd.Variable;
import d2l4j.kernels.CpuBackend;
import d2l4j.kernels.CpuKernels;
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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LeNet whole against PyTorch: logits, loss and every parameter's gradient for a fixed batch of 8 real
 * images, and the losses of the first 20 SGD steps (lr 0.9, batches of 256 real images in file order),
 * all from the initial weights of the shared HashFill formula (src/reference/README.md).
 */
class LeNetReferenceTest {

    static Stream<Backend> backends() {
        Stream<Backend> cpu = Stream.of(new CpuBackend(CpuKernels.reference(), 1), TestBackends.fastest());
        return TestBackends.openClOrNull() == null ? cpu : Stream.concat(cpu, Stream.of(TestBackends.openClOrNull()));
    }

    @AfterAll
    static void restore() {
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
    }

    /** PyTorch's state_dict names, in order, as the reference script recorded them. */
    private static List<String> torchNames(SafeTensors f) {
        return List.of(f.meta("state_dict").split(","));
    }

    /** LeNet with the formula's weights: parameter i = HashFill.uniform(1000 + i, numel, bound_i). */
    static Layer formulaLeNet(SafeTensors f) {
        Layer net = LeNet.create(0);
        List<String> names = torchNames(f);
        Map<String, Parameter> ours = net.namedParameters();
        assertEquals(names, new ArrayList<>(ours.keySet()), "parameter names must match PyTorch's state_dict");
        int i = 0;
        for (var e : ours.entrySet()) {
            Tensor t = e.getValue().data();
            float bound = Float.parseFloat(f.meta("init.bound." + e.getKey()));
            t.copyFrom(Tensor.of(HashFill.uniform(1000 + i, t.numel(), bound), t.shape()));
            double sum = 0;
            for (float v : t.toArray()) sum += v;
            double expected = Double.parseDouble(f.meta("init_sum." + e.getKey()));
            assertEquals(expected, sum, 1e-9 * t.numel() + 1e-12, "initial sum of " + e.getKey());
            i++;
        }
        return net.toDevice();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void logitsLossAndEveryGradient(Backend backend) {
        Backends.use(backend);
        SafeTensors f = PyTorchCases.load("lenet", 0);
        Layer net = formulaLeNet(f);
        Tensor x = Tensor.of(f.f32("x"), f.shape("x"));
        Variable logits = net.forward(new Variable(x));
        Variable loss = new CrossEntropyLoss().forward(logits, f.ints("labels"));
        close("logits", f.f32("logits"), logits.data().toArray(), 1e-5);
        close("loss", f.f32("loss"), loss.data().toArray(), 1e-5);
        loss.backward();
        for (var e : net.namedParameters().entrySet()) {
            close("grad." + e.getKey(), f.f32("grad." + e.getKey()), e.getValue().grad().toArray(), 1e-4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twentySgdStepsFollowPyTorch(Backend backend) {
        Backends.use(backend);
        SafeTensors f = PyTorchCases.load("lenet_sgd20", 0);
        Layer net = formulaLeNet(f);
        int batch = f.metaInt("batch_size"), steps = f.metaInt("steps");
        float[] expected = f.f32("losses");
        assertEquals(steps, expected.length);
        FashionMnist train = FashionMnist.load(DataFolder.resolve(null), true);
        DataLoader loader = new DataLoader(train, batch, false, 0, batch * steps);
        Sgd sgd = new Sgd(net.parameters(), f.metaFloat("lr"));
        CrossEntropyLoss ce = new CrossEntropyLoss();
        int t = 0;
        for (Batch b : loader.epoch(0)) {
            Variable l = ce.forward(net.forward(new Variable(Tensor.of(b.images(), b.size(), 1, 28, 28))), b.labels());
            float ours = l.data().item();
            double rel = Math.abs(ours - expected[t]) / Math.abs(expected[t]);
            assertTrue(rel <= 1e-3, "step " + t + ": loss " + ours + ", PyTorch " + expected[t] + " (relative " + rel + ")");
            sgd.zeroGrad();
            l.backward();
            sgd.step();
            t++;
        }
        assertEquals(steps, t);
    }

    private static void close(String what, float[] expected, float[] actual, double rel) {
        assertEquals(expected.length, actual.length, what + ": size");
        double max = 0;
        for (float v : expected) max = Math.max(max, Math.abs(v));
        double tol = rel * (1 + max);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", PyTorch gives " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
