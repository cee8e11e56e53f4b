package d2l4j.layers;

import static d2l4j.layers.Reference.assertClose;
import static d2l4j.layers.Reference.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.testkit.PyTorchCases;
import d2l4j.testkit.TestBackends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer against PyTorch 1.13 (src/reference/make_reference.py): forward output and the gradients of
 * L = Σ y·gy with respect to the input and the parameters, on both CPU paths. Tolerance: 2e-5 relative to
 * the largest magnitude in the reference tensor (float32 sums in another order).
 */
class LayerReferenceTest {
    private static final double FWD = 2e-5, BWD = 2e-5;

    @AfterAll
    static void restore() {
        Backends.use(new d2l4j.kernels.CpuBackend());
    }

    static Stream<Arguments> cases(String op) {
        List<Path> files = PyTorchCases.cases(op);
        assertFalse(files.isEmpty(), "no reference cases for " + op + " in " + PyTorchCases.dataDir());
        List<Arguments> out = new ArrayList<>();
        for (Backend b : Reference.backends()) for (Path f : files) out.add(Arguments.of(f.getFileName().toString(), b));
        return out.stream();
    }

    static Stream<Arguments> conv2d() { return cases("conv2d"); }
    static Stream<Arguments> linear() { return cases("linear"); }
    static Stream<Arguments> avgpool2d() { return cases("avgpool2d"); }
    static Stream<Arguments> maxpool2d() { return cases("maxpool2d"); }
    static Stream<Arguments> sigmoid() { return cases("sigmoid"); }
    static Stream<Arguments> relu() { return cases("relu"); }
    static Stream<Arguments> flatten() { return cases("flatten"); }
    static Stream<Arguments> crossEntropy() { return cases("cross_entropy"); }
    static Stream<Arguments> sgd() { return cases("sgd"); }
    static Stream<Arguments> adaptiveAvgPool2d() { return cases("adaptive_avgpool2d"); }
    static Stream<Arguments> concat() { return cases("concat"); }
    static Stream<Arguments> dropout() { return cases("dropout"); }

    private static SafeTensors load(String file) {
        return SafeTensors.read(PyTorchCases.dataDir().resolve(file));
    }

    private static Window2d window(SafeTensors f) {
        return new Window2d(f.metaInt("kernel_h"), f.metaInt("kernel_w"), f.metaInt("stride_h"), f.metaInt("stride_w"),
                f.metaInt("pad_h"), f.metaInt("pad_w"));
    }

    /** Runs {@code layer} on case x, backpropagates gy, compares y and gx. */
    private static void check(String file, SafeTensors f, Layer layer) {
        Variable x = new Variable(tensor(f, "x"), true);
        Variable y = layer.forward(x);
        assertClose(file + " y", tensor(f, "y"), y.data(), FWD);
        y.backward(tensor(f, "gy"));
        assertClose(file + " gx", tensor(f, "gx"), x.grad(), BWD);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("conv2d")
    void conv2d(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        Conv2d conv = new Conv2d(f.metaInt("in_channels"), f.metaInt("out_channels"), window(f), true);
        conv.weight().data().copyFrom(tensor(f, "weight"));
        conv.bias().data().copyFrom(tensor(f, "bias"));
        check(file, f, conv);
        assertClose(file + " gweight", tensor(f, "gweight"), conv.weight().grad(), BWD);
        assertClose(file + " gbias", tensor(f, "gbias"), conv.bias().grad(), BWD);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("linear")
    void linear(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        Linear lin = new Linear(f.metaInt("in_features"), f.metaInt("out_features"));
        lin.weight().data().copyFrom(tensor(f, "weight"));
        lin.bias().data().copyFrom(tensor(f, "bias"));
        check(file, f, lin);
        assertClose(file + " gweight", tensor(f, "gweight"), lin.weight().grad(), BWD);
        assertClose(file + " gbias", tensor(f, "gbias"), lin.bias().grad(), BWD);
    }

    /** A pooling case as a layer: the square ones through the real layer class, rectangular ones functionally. */
    private static Layer pool(SafeTensors f, boolean max) {
        Window2d w = window(f);
        boolean square = w.kernelH() == w.kernelW() && w.strideH() == w.strideW() && w.padH() == w.padW();
        if (square) return max ? new MaxPool2d(w.kernelH(), w.strideH(), w.padH()) : new AvgPool2d(w.kernelH(), w.strideH(), w.padH());
        return fn(x -> max ? Functional.maxPool2d(x, w) : Functional.avgPool2d(x, w));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("avgpool2d")
    void avgPool2d(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        check(file, f, pool(f, false));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("maxpool2d")
    void maxPool2d(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        check(file, f, pool(f, true));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("sigmoid")
    void sigmoid(String file, Backend backend) {
        Backends.use(backend);
        check(file, load(file), new Sigmoid());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("relu")
    void relu(String file, Backend backend) {
        Backends.use(backend);
        check(file, load(file), new ReLU());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("flatten")
    void flatten(String file, Backend backend) {
        Backends.use(backend);
        check(file, load(file), new Flatten());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("crossEntropy")
    void crossEntropy(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        Variable x = new Variable(tensor(f, "x"), true);
        Variable loss = new CrossEntropyLoss().forward(x, f.ints("labels"));
        assertClose(file + " loss", tensor(f, "y"), loss.data(), FWD);
        loss.backward();
        assertClose(file + " gx", tensor(f, "gx"), x.grad(), BWD);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("sgd")
    void sgd(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        Parameter w = new Parameter(Tensor.of(f.f32("w").clone(), f.shape("w")));
        Variable l = Functional.sum(Functional.mul(w, new Variable(tensor(f, "g"))));
        l.backward(); // dL/dw = g
        new Sgd(List.of(w), f.metaFloat("lr")).step();
        // PyTorch's step rounds once (a fused multiply-add on this CPU), and so do ours: bit for bit
        org.junit.jupiter.api.Assertions.assertArrayEquals(f.f32("w_new"), w.data().toArray(), 0f);
        assertEquals(f.f32("w_new").length, w.data().numel());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("adaptiveAvgPool2d")
    void adaptiveAvgPool2d(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        check(file, f, new AdaptiveAvgPool2d(f.metaInt("out_h"), f.metaInt("out_w")));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("concat")
    void concat(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        int n = f.metaInt("inputs");
        Variable[] xs = new Variable[n];
        for (int i = 0; i < n; i++) xs[i] = new Variable(tensor(f, "x" + i), true);
        Variable y = Functional.cat(1, xs);
        assertClose(file + " y", tensor(f, "y"), y.data(), 0);
        y.backward(tensor(f, "gy"));
        for (int i = 0; i < n; i++) assertClose(file + " gx" + i, tensor(f, "gx" + i), xs[i].grad(), 0);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dropout")
    void dropoutInEvalMode(String file, Backend backend) {
        Backends.use(backend);
        SafeTensors f = load(file);
        Dropout d = new Dropout(f.metaFloat("p"));
        d.eval();
        check(file, f, d);
    }

    @org.junit.jupiter.api.Test
    void openClDeviceIsPresentForTheAgreementCases() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestBackends.openClOrNull() != null,
                "OpenCL agreement cases not run: " + TestBackends.whyNoOpenCl());
    }

    /** A function as a layer, for the configurations the layer classes don't expose (rectangular windows). */
    private static Layer fn(Function<Variable, Variable> body) {
        return new Layer() {
            @Override
            public Variable forward(Variable x) {
                return body.apply(x);
            }
        };
    }
}
