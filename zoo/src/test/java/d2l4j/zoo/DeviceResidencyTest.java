package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.CrossEntropyLoss;
import d2l4j.layers.Layer;
import d2l4j.layers.Sgd;
import d2l4j.tensor.Arena;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.DeviceCounters;
import d2l4j.tensor.Tensor;
import d2l4j.testkit.TestBackends;
import d2l4j.zoo.data.FashionMnist;
import d2l4j.zoo.infer.Classifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL backend keeps a step on the device (issue 10): after a warm-up step, a training step makes no
 * device allocation, uploads exactly the batch (28×28 bytes an image and 4 bytes a label), downloads
 * nothing and never waits; reading the metrics is one 12-byte download. Evaluation and the Classifier
 * likewise. Runs on PoCL in CI; skipped with the reason when no OpenCL device opens.
 */
class DeviceResidencyTest {
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    private static Backend device() {
        assumeTrue(TestBackends.openClOrNull() != null, "no OpenCL device: " + TestBackends.whyNoOpenCl());
        assumeTrue(Files.isRegularFile(DATA.resolve(FashionMnist.TRAIN_IMAGES)), "Fashion-MNIST not installed in " + DATA);
        return TestBackends.openClOrNull();
    }

    @Test
    void lenetStepMovesOnlyTheBatch() {
        steadySteps(() -> LeNet.create(0), 256, 28);
    }

    @Test
    void alexnetStepMovesOnlyTheBatch() {
        steadySteps(() -> AlexNet.create(0), 2, 224);
    }

    @Test
    void googlenetStepMovesOnlyTheBatch() {
        steadySteps(() -> GoogLeNet.create(0), 2, 96);
    }

    private static void steadySteps(Supplier<Layer> make, int batch, int side) {
        Backend cl = device();
        FashionMnist set = FashionMnist.load(DATA, true);
        byte[] pixels = Arrays.copyOf(set.pixels(), batch * FashionMnist.PIXELS);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = set.labels()[i];
        long batchBytes = (long) batch * FashionMnist.PIXELS + 4L * batch;
        Backend previous = Backends.use(cl);
        try {
            Layer net = make.get();
            net.toDevice();
            Sgd sgd = new Sgd(net.parameters(), 0.01f);
            CrossEntropyLoss loss = new CrossEntropyLoss();
            Tensor sums = cl.zeros(3);
            Runnable step = () -> {
                try (Arena a = Arena.open()) {
                    Tensor y = cl.labels(labels, batch);
                    Variable yHat = net.forward(new Variable(cl.images(pixels, 0, batch, FashionMnist.ROWS, side)));
                    Variable l = loss.forward(yHat, y);
                    sgd.zeroGrad();
                    l.backward();
                    sgd.step();
                    cl.accumulateMetrics(sums, l.data(), yHat.data(), y);
                }
            };
            step.run(); // warm-up: the pool fills
            DeviceCounters d = measure(cl, step);
            assertEquals(0, d.allocations(), "device allocations in a steady training step: " + d);
            assertEquals(batchBytes, d.bytesUp(), "bytes up in a steady training step: " + d);
            assertEquals(0, d.bytesDown(), "bytes down in a training step: " + d);
            assertEquals(0, d.waits(), "waits in a training step: " + d);
            assertTrue(d.launches() > 10, d.toString());

            float[][] read = new float[1][];
            d = measure(cl, () -> read[0] = sums.toArray());
            assertEquals(12, d.bytesDown(), "reading the metrics: " + d);
            assertEquals(1, d.waits(), "reading the metrics: " + d);
            assertEquals(0, d.bytesUp() + d.allocations(), "reading the metrics: " + d);
            assertTrue(Float.isFinite(read[0][0]) && read[0][0] > 0, "loss sum " + read[0][0]);
            assertTrue(read[0][2] >= 0 && read[0][2] <= 2 * batch, "hits " + read[0][2]);

            // evaluation: eval mode, no graph, the same discipline
            net.eval();
            Runnable eval = () -> {
                try (var g = NoGrad.open(); Arena a = Arena.open()) {
                    Tensor y = cl.labels(labels, batch);
                    cl.accumulateMetrics(sums, null, net.forward(new Variable(cl.images(pixels, 0, batch, FashionMnist.ROWS, side))).data(), y);
                }
            };
            eval.run();
            d = measure(cl, eval);
            assertEquals(0, d.allocations() + d.bytesDown() + d.waits(), "a steady evaluation batch: " + d);
            assertEquals(batchBytes, d.bytesUp(), "a steady evaluation batch: " + d);
        } finally {
            Backends.use(previous);
        }
    }

    private static DeviceCounters measure(Backend b, Runnable r) {
        DeviceCounters before = b.counters();
        r.run();
        return b.counters().minus(before);
    }

    @Test
    void classifierUploadsTheImagesAndDownloadsTheLogitsOnly() {
        Backend cl = device();
        FashionMnist set = FashionMnist.load(DATA, false);
        int n = 16;
        float[] images = new float[n * FashionMnist.PIXELS];
        for (int i = 0; i < images.length; i++) images[i] = (set.pixels()[i] & 0xff) / 255f;
        Backend previous = Backends.use(cl);
        try {
            Classifier c = new Classifier("lenet", LeNet.create(3), 28);
            float[] first = c.logits(images, n);
            float[][] second = new float[1][];
            DeviceCounters d = measure(cl, () -> second[0] = c.logits(images, n));
            assertEquals(0, d.allocations(), d.toString());
            assertEquals(4L * images.length, d.bytesUp(), d.toString());
            assertEquals(4L * n * 10, d.bytesDown(), d.toString());
            assertEquals(1, d.waits(), d.toString());
            assertTrue(Arrays.equals(first, second[0]), "the same logits twice");
        } finally {
            Backends.use(previous);
        }
    }

    @Test
    void aHostFallbackInsideAStepIsAnErrorNamingTheOp() {
        Backend cl = device();
        Tensor x = cl.toDevice(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        Backend previous = Backends.use(cl);
        try (Arena a = Arena.open()) {
            var e = assertThrows(IllegalStateException.class, x::exp);
            assertTrue(e.getMessage().contains("EXP") && e.getMessage().contains("opencl"), e.getMessage());
            var up = assertThrows(IllegalStateException.class, () -> x.add(Tensor.of(new float[] {1, 1, 1, 1}, 2, 2)));
            assertTrue(up.getMessage().contains("host tensor [2, 2]"), up.getMessage());
        } finally {
            Backends.use(previous);
        }
        assertEquals(Math.exp(1), x.exp().toArray()[0], 1e-6, "outside a step the host default still works");
    }

    @Test
    void aTensorUsedAfterItsArenaClosedSaysSo() {
        Backend cl = device();
        Tensor t;
        Tensor kept;
        try (Arena a = Arena.open()) {
            t = cl.zeros(4);
            kept = a.keep(cl.zeros(4));
        }
        var e = assertThrows(IllegalStateException.class, t::toArray);
        assertTrue(e.getMessage().contains("Arena"), e.getMessage());
        assertEquals(0f, kept.toArray()[3]);
    }

    @Test
    void trainStatsShowZeroAllocationsAndOnlyTheBatchBytes() {
        device();
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Backend previous = Backends.current();
        try {
            int rc = Main.run(new String[] {"train", "lenet", "--device", "opencl", "--limit", "768", "--test-limit", "256",
                    "--epochs", "1", "--stats", "--plot", Path.of(System.getProperty("java.io.tmpdir"), "d2l4j-stats-test.png").toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, rc, text + err);
            long steps = text.lines().filter(l -> l.startsWith("step ")).count();
            assertEquals(2, steps, text);
            for (String line : text.lines().filter(l -> l.startsWith("step ")).toList()) {
                assertTrue(line.contains(" 0 allocations (0 B), up 201,728 B, down 0 B, 1 waits"), line);
            }
        } finally {
            Backends.use(previous);
        }
    }
}
