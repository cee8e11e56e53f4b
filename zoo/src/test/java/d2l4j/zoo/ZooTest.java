package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.layers.Layer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zoo's command-line pieces: summary lines and the training plot. */
class ZooTest {

    private static String run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void summaryPrintsD2lsShapesAndCounts() {
        String s = run("summary", "alexnet");
        assertTrue(s.contains("Conv2d             output shape:\t [1, 96, 54, 54]"), s);
        assertTrue(s.contains("MaxPool2d          output shape:\t [1, 256, 5, 5]"), s);
        assertTrue(s.contains("total parameters: 46,764,746"), s);
        assertTrue(s.contains("(1.876 GFLOP)"), s);
        String g = run("summary", "googlenet");
        assertTrue(g.contains("Sequential         output shape:\t [1, 832, 3, 3]"), g);
        assertTrue(g.contains("total parameters: 5,977,530"), g);
        String l = run("summary", "lenet");
        assertTrue(l.contains("total parameters: 61,706"), l);
        String small = run("summary", "nin", "--size", "96");
        assertTrue(small.contains("AdaptiveAvgPool2d  output shape:\t [1, 10, 1, 1]"), small);
    }

    @Test
    void summaryOfAnInputTooSmallNamesTheLayer() {
        var err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"summary", "alexnet", "--size", "28"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status, "a --size the net cannot take is a usage error");
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("--size 28 does not fit alexnet") && e.contains("MaxPool2d(") && e.contains("got [1, 256, 2, 2]"), e);
    }

    @Test
    void everyNetIsTrainableInParameterCountOfD2l() {
        // total parameter counts as PyTorch reports them for d2l's definitions
        long[] expected = {61_706, 46_764_746, 43_093_322, 1_992_166, 5_977_530};
        String[] names = {"lenet", "alexnet", "vgg", "nin", "googlenet"};
        for (int i = 0; i < names.length; i++) {
            Layer net = Recipe.of(names[i]).create(0);
            assertEquals(expected[i], net.parameterCount(), names[i]);
        }
    }

    @Test
    void everyNetTrainsAFewStepsThroughTheCommandLine(@TempDir Path dir) {
        // CI cannot train the big nets; this runs d2l's loop with dropout on for two batches of each
        for (String net : new String[] {"alexnet", "vgg", "nin", "googlenet"}) {
            Path plot = dir.resolve(net + ".png");
            String out = run("train", net, "--epochs", "1", "--limit", "4", "--batch-size", "2", "--threads", "2",
                    "--test-limit", "4", "--plot", plot.toString());
            assertTrue(out.contains("examples/sec on cpu"), out);
            assertTrue(Files.exists(plot), out);
        }
    }

    @Test
    void plotIsAPng(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/plot.png");
        Plot.write(file, "test", List.of(new Training.EpochStats(1, 2.3, 0.1, 0.1, 1),
                new Training.EpochStats(2, 1.1, 0.55, 0.66, 1), new Training.EpochStats(3, 0.8, 0.7, 0.71, 1)));
        var img = ImageIO.read(file.toFile());
        assertEquals(640, img.getWidth());
        assertTrue(Files.size(file) > 1000);
    }
}
