package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import d2l4j.layers.Layer;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.zoo.data.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints: a run killed mid-epoch (a real child JVM, destroyForcibly) and resumed ends with weights
 * bit-identical to a run never interrupted. The runs use the reference kernels (no jdk.incubator.vector
 * in the child JVMs): the Vector API's sigmoid gives different last bits in interpreted and compiled code,
 * so with it even two uninterrupted runs may differ in the last bit.
 */
class CheckpointTest {
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    static final String[] RUN = {"train", "lenet", "--limit", "1024", "--epochs", "3", "--batch-size", "32",
        "--test-limit", "64", "--threads", "2", "--seed", "5", "--data", DATA.toString()};

    @TempDir
    Path dir;

    private Process start(Path checkpoint, boolean resume, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss4m", "-cp", System.getProperty("java.class.path"), "d2l4j.zoo.Main"));
        cmd.addAll(List.of(RUN));
        cmd.addAll(List.of("--checkpoint", checkpoint.toString(), "--plot", dir.resolve("plot.png").toString()));
        if (resume) cmd.add("--resume");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int epochsDone(Path dir) {
        return SafeTensors.read(dir.resolve(Checkpoint.FILE)).metaInt("epochs_done");
    }

    @Test
    void killedMidEpochThenResumedGivesTheUninterruptedWeightsBitForBit() throws Exception {
        assumeTrue(Files.isRegularFile(DATA.resolve(FashionMnist.TRAIN_IMAGES)), "Fashion-MNIST not installed in " + DATA);
        Path whole = dir.resolve("whole"), cut = dir.resolve("cut");
        Process p = start(whole, false, dir.resolve("whole.log"));
        assertEquals(0, p.waitFor(), () -> read(dir.resolve("whole.log")));

        Process q = start(cut, false, dir.resolve("cut.log"));
        Path file = cut.resolve(Checkpoint.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(file) && q.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(150); // into the second epoch (32 batches of 32 take about a second)
        q.destroyForcibly().waitFor();
        int cutAt = epochsDone(cut); // the checkpoint left behind reads: intact
        assertTrue(cutAt >= 1 && cutAt < 3, "killed after " + cutAt + " epochs; the test wants a run cut short:\n"
                + read(dir.resolve("cut.log")));

        Process r = start(cut, true, dir.resolve("resume.log"));
        assertEquals(0, r.waitFor(), () -> read(dir.resolve("resume.log")));
        assertTrue(read(dir.resolve("resume.log")).contains("resuming from " + file + " after epoch " + cutAt));

        SafeTensors a = SafeTensors.read(whole.resolve(Checkpoint.FILE)), b = SafeTensors.read(file);
        assertEquals(3, a.metaInt("epochs_done"));
        assertEquals(3, b.metaInt("epochs_done"));
        assertEquals(a.meta("history").replaceAll(",[^,;]*(;|$)", "$1"), b.meta("history").replaceAll(",[^,;]*(;|$)", "$1"),
                "losses and accuracies (examples/sec aside)");
        for (String name : a.entries().keySet()) {
            float[] x = a.f32(name), y = b.f32(name);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), name + "[" + i + "]");
            }
        }
        try (var files = Files.list(cut)) {
            assertEquals(java.util.Set.of(Checkpoint.FILE, Checkpoint.INITIAL), files.map(f -> f.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()), "the checkpoint and the run's initial weights, no temp files");
        }
    }

    @Test
    void nonFiniteWeightsAreNeverSavedAndTheLastGoodCheckpointStays() throws IOException {
        Layer net = LeNet.create(1);
        Checkpoint c = new Checkpoint(dir, Map.of("net", "lenet"));
        var stats = new Training.EpochStats(1, 0.5, 0.8, 0.7, 100);
        c.save(net, List.of(stats));
        byte[] good = Files.readAllBytes(c.file());
        net.namedParameters().get("3.weight").data().set(Float.NaN, 2, 1, 0, 0);
        var e = assertThrows(ArithmeticException.class, () -> c.save(net, List.of(stats, stats)));
        assertTrue(e.getMessage().contains("parameter 3.weight holds NaN after epoch 2"), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(c.file()));
    }

    @Test
    void divergingRunStopsWithAMessageAndWritesNoCheckpoint() {
        assumeTrue(Files.isRegularFile(DATA.resolve(FashionMnist.TRAIN_IMAGES)), "Fashion-MNIST not installed in " + DATA);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Path ck = dir.resolve("nan");
        int status = Main.run(new String[] {"train", "lenet", "--limit", "512", "--epochs", "2", "--lr", "3e38",
            "--test-limit", "64", "--data", DATA.toString(), "--checkpoint", ck.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status);
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains("training diverged"), msg);
        assertFalse(Files.exists(ck.resolve(Checkpoint.FILE)));
    }

    @Test
    void resumeRefusesAnotherRunsCheckpoint() {
        Layer net = LeNet.create(1);
        Map<String, String> run = new java.util.LinkedHashMap<>(Map.of("net", "lenet", "seed", "1", "lr", "0.9",
                "batch_size", "256", "limit", "1024", "size", "28", "threads", "2", "kernels", "reference"));
        new Checkpoint(dir, run).save(net, List.of());
        run.put("seed", "2");
        var e = assertThrows(IllegalArgumentException.class, () -> new Checkpoint(dir, run).resume(LeNet.create(1), System.out));
        assertTrue(e.getMessage().contains("seed is 1 there, 2 here"), e.getMessage());
    }

    @Test
    void resumeNamesPlainWeightsAndNotesAnotherDeviceOrTestSet() {
        Layer net = LeNet.create(1);
        Path plain = dir.resolve("plain");
        d2l4j.layers.StateDict.save(net, plain.resolve(Checkpoint.FILE));
        Map<String, String> run = new java.util.LinkedHashMap<>(Map.of("net", "lenet", "seed", "1", "lr", "0.9",
                "batch_size", "256", "limit", "1024", "size", "28", "threads", "2", "kernels", "reference"));
        run.putAll(Map.of("device", "cpu", "test_limit", "500", "data", "/data"));
        var e = assertThrows(IllegalArgumentException.class, () -> new Checkpoint(plain, run).resume(LeNet.create(1), System.out));
        assertTrue(e.getMessage().contains("holds weights but no training run"), e.getMessage());
        Path ck = dir.resolve("ck2");
        new Checkpoint(ck, run).save(net, List.of());
        Map<String, String> now = new java.util.LinkedHashMap<>(run);
        now.put("device", "opencl");
        now.put("test_limit", "1000");
        var notes = new ByteArrayOutputStream();
        new Checkpoint(ck, now).resume(LeNet.create(1), new PrintStream(notes, true, StandardCharsets.UTF_8));
        String n = notes.toString(StandardCharsets.UTF_8);
        assertTrue(n.contains("device was cpu") && n.contains("not be bit-identical"), n);
        assertTrue(n.contains("test_limit was 500") && n.contains("not measured on the same images"), n);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
