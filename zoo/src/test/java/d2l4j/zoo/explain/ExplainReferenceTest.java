package d2l4j.zoo.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.layers.Layer;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.testkit.PyTorchCases;
import d2l4j.testkit.TestBackends;
import d2l4j.zoo.ZooCases;
import d2l4j.zoo.data.Batch;
import d2l4j.zoo.data.DataFolder;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report's numbers against PyTorch (src/reference/make_reference.py, explain_cases): for training image 0
 * through LeNet and GoogLeNet with the shared formula weights, every block output the {@link Probe} records
 * equals the output of the same module by a PyTorch forward hook (LeNet in full, GoogLeNet by exact sums and 256
 * sampled entries), and saliency and Grad-CAM (map and upsampled) equal autograd's for the image's class and
 * the next one. Tolerances: outputs 1e-4 of the largest entry, gradients 5e-3 (as ZooReferenceTest's); GoogLeNet's
 * saliency against PyTorch's float64 answer (see below).
 */
class ExplainReferenceTest {

    @AfterAll
    static void restore() {
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
    }

    static Stream<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (String net : List.of("lenet", "googlenet")) {
            out.add(new Object[] {net, TestBackends.fastest()});
            out.add(new Object[] {net, Backends.open("cpu:reference", 2)});
            if (TestBackends.openClOrNull() != null) out.add(new Object[] {net, TestBackends.openClOrNull()});
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void blockOutputsSaliencyAndGradCamFollowPyTorch(String name, Backend backend) {
        Backends.use(backend);
        SafeTensors f = PyTorchCases.load("explain_" + name, 0);
        Layer net = name.equals("lenet") ? ZooCases.formulaLeNet(f) : ZooCases.formulaNet(name, f);
        int side = name.equals("lenet") ? 28 : 96;
        FashionMnist train = FashionMnist.load(DataFolder.resolve(null), true);
        Batch b = new DataLoader(train, 1, false, 0, 1).resized(side).epoch(0).iterator().next();
        Tensor x = backend.toDevice(Tensor.of(b.images(), 1, 1, side, side));

        List<Probe.Step> steps = Probe.steps(net);
        Probe.Trace trace = Probe.trace(steps, x);
        List<String> modules = List.of(f.meta("modules").split(","));
        List<String> ours = new ArrayList<>();
        for (Probe.FeatureMap m : trace.maps()) ours.add(steps.get(m.step()).path());
        assertEquals(modules, ours, name + ": the block ends are the modules PyTorch's hooks watched");
        close(name + " logits", f.f32("logits"), trace.logits(), 1e-4);
        for (int i = 0; i < modules.size(); i++) {
            String m = modules.get(i);
            float[] v = trace.maps().get(i).value().toArray();
            if (f.has("map." + m)) {
                close(name + " map." + m, f.f32("map." + m), v, 1e-4);
                continue;
            }
            double sum = 0, max = 0;
            for (float e : v) { sum += e; max = Math.max(max, Math.abs(e)); }
            double expected = f.f32("mapsum." + m)[0];
            assertTrue(Math.abs(sum - expected) <= 1e-4 * Math.abs(expected) + 1e-4 * max,
                    name + " mapsum." + m + ": " + sum + ", PyTorch " + expected);
            long[] idx = f.i64("mapidx." + m);
            float[] sample = new float[idx.length];
            for (int j = 0; j < idx.length; j++) sample[j] = v[(int) idx[j]];
            close(name + " mapsample." + m, f.f32("mapsample." + m), sample, 1e-4);
        }

        int target = Probe.lastConvolutionBlock(steps);
        assertEquals(f.meta("target"), steps.get(target).path());
        for (String c : f.meta("classes").split(",")) {
            int cls = Integer.parseInt(c);
            float[] saliency = Attribution.saliency(net, steps, x, cls);
            if (f.has("saliency64." + c)) {
                // GoogLeNet's input gradient loses digits in float32: PyTorch's own float32 result lies 1.7-4.3% (L2)
                // from its float64 one here, so ours is held to the float64 answer, within twice PyTorch's distance
                double torch = Double.parseDouble(f.meta("torch_f32_rel_l2.saliency." + c));
                double err = relativeL2(saliency, f.f32("saliency64." + c));
                assertTrue(err <= 2 * torch + 1e-3, name + " saliency." + c + ": " + err + " (L2) from float64, PyTorch's float32 " + torch);
            } else {
                close(name + " saliency." + c, f.f32("saliency." + c), saliency, 5e-3);
            }
            Attribution.GradCam cam = Attribution.gradCam(net, steps, target, x, cls);
            close(name + " gradcam." + c, f.f32("gradcam." + c), cam.map(), 5e-3);
            close(name + " gradcam_up." + c, f.f32("gradcam_up." + c), cam.upsampled(), 5e-3);
        }
        for (var p : net.parameters()) assertEquals(null, p.grad(), "no gradient left in the parameters");
    }

    static double relativeL2(float[] actual, float[] exact) {
        double d = 0, n = 0;
        for (int i = 0; i < exact.length; i++) {
            d += (actual[i] - (double) exact[i]) * (actual[i] - (double) exact[i]);
            n += (double) exact[i] * exact[i];
        }
        return Math.sqrt(d / n);
    }

    static void close(String what, float[] expected, float[] actual, double rel) {
        ZooCases.close(what, expected, actual, rel);
    }
}
