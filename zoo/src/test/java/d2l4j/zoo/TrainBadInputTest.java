package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.zoo.infer.Classifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's bad-input findings of issue 14, each refused before any training with a message naming it:
 * a --plot that is the run's checkpoint, a folder or a file that is not a PNG (left as it was); a --checkpoint
 * that cannot be written; a --data folder that does not hold the data; and a run whose loss explodes without
 * becoming infinite; and classify(null).
 */
class TrainBadInputTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPlotThatWouldOverwriteSomethingElseIsRefusedFirst() throws Exception {
        Path ck = dir.resolve("ck");
        Run r = main("train", "lenet", "--limit", "256", "--test-limit", "64", "--epochs", "1", "--checkpoint", ck.toString(),
                "--plot", ck.resolve("checkpoint.safetensors").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("is the run's own checkpoint"), r.err());
        assertFalse(r.out().contains("epoch 1:"), "refused before training");
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "mine");
        r = main("train", "lenet", "--limit", "256", "--test-limit", "64", "--epochs", "1", "--plot", text.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("exists and is not a PNG: not overwriting it"), r.err());
        assertEquals("mine", Files.readString(text));
        r = main("train", "lenet", "--limit", "256", "--test-limit", "64", "--epochs", "1", "--plot", dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("is a folder; expected a PNG file"), r.err());
    }

    @Test
    void anUnwritableCheckpointOrAMissingDataFolderIsRefusedAtStart() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Run r = main("train", "lenet", "--limit", "256", "--epochs", "1", "--checkpoint", file.resolve("ck").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("--checkpoint") && r.err().contains("cannot write there"), r.err());
        r = main("train", "lenet", "--limit", "256", "--epochs", "1", "--data", dir.resolve("no-data").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("does not exist; a folder given with --data is used or refused"), r.err());
    }

    @Test
    void anExplodingLossEndsTheRun() {
        Run r = main("train", "lenet", "--limit", "2048", "--test-limit", "64", "--epochs", "1", "--lr", "1000",
                "--plot", dir.resolve("p.png").toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("training diverged"), r.err());
    }

    @Test
    void aSizeTheNetCannotTakeIsAUsageErrorBeforeTheData() {
        Run r = main("train", "lenet", "--size", "32", "--data", dir.resolve("never-read").toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--size 32 does not fit lenet (d2l's is 28)") && r.err().contains("Linear"), r.err());
        r = main("summary", "lenet", "--size", "15000");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--size must be at most 1024, got 15000"), r.err());
    }

    @Test
    void aLearningRateThatRoundsToZeroIsNamed() {
        Run r = main("train", "lenet", "--lr", "1e-50");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--lr 1e-50 is below the smallest positive float"), r.err());
    }

    @Test
    void predictReadsStandardInputAsDash() throws Exception {
        Path w = dir.resolve("w.safetensors");
        d2l4j.layers.StateDict.save(LeNet.create(0), w);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        var png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        var stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(png.toByteArray()));
            Run r = main("predict", "--net", "lenet", "--weights", w.toString(), "-");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().startsWith("-:  "), r.out());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aNonAsciiPathUnderTheCLocaleNamesTheLocale() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), "d2l4j.zoo.Main",
                "predict", "--net", "lenet", "--weights", "w\u00e9.safetensors", "x.png").redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LANG");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        org.junit.jupiter.api.Assumptions.assumeFalse(out.contains("no such file"), "this JVM maps the name under LC_ALL=C");
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("run under a UTF-8 locale"), out);
    }

    @Test
    void classifyNullIsAClearError() {
        Classifier c = new Classifier("lenet", LeNet.create(0), 28);
        var e = assertThrows(IllegalArgumentException.class, () -> c.classify((float[]) null));
        assertEquals("lenet: expected image pixels, got null", e.getMessage());
        float[] nan = new float[784];
        nan[5] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> c.classify(nan));
        assertEquals("lenet: pixel 5 is NaN; expected finite values in [0, 1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Classifier.load("resnet", dir.resolve("w")));
        assertTrue(e.getMessage().startsWith("unknown net \"resnet\""), e.getMessage());
    }
}
