package d2l4j.zoo.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.layers.StateDict;
import d2l4j.zoo.LeNet;
import d2l4j.zoo.Main;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code d2l4j show} on good and bad input: the page for LeNet's weights (with hostile characters in an image's
 * file name escaped, a picture that is not square centre-cropped), and for weights of another net, a corrupt and a
 * header-only huge image, a directory given as an image, a
 * test index out of range, an --out that cannot be made and one that exists and is not a report: a clear error
 * (exit 1) naming what was expected, and nothing half-written left behind.
 */
class ShowTest {
    @TempDir
    static Path dir;
    static Path weights;

    @BeforeAll
    static void weights() {
        weights = dir.resolve("lenet.safetensors");
        StateDict.save(LeNet.create(1), weights);
    }

    record Run(int status, String out, String err) {}

    static Run show(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "show";
        System.arraycopy(args, 0, all, 1, args.length);
        int status = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesThePageAndEscapesFileNames() throws Exception {
        Path img = dir.resolve("a<b>&\"x\u001b.png");
        BufferedImage square = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(square, "png", img.toFile());
        Path out = dir.resolve("report");
        Run r = show("lenet", "--weights", weights.toString(), "--images", "0,7," + img, "--test-limit", "300",
                "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.status(), r.err());
        String html = Files.readString(out.resolve(Report.PAGE));
        assertTrue(html.contains("a&lt;b&gt;&amp;&quot;x\\x1b.png"), "the file name escaped in the page");
        assertFalse(html.contains("a<b>"), "no raw file name in the page");
        assertTrue(html.contains("test image 7") && html.contains("300 test images"), "the chosen images and test set");
        assertTrue(Files.isRegularFile(out.resolve(Report.MARKER)));
        // a second report replaces the first (it is one of ours)
        assertEquals(0, show("lenet", "--weights", weights.toString(), "--images", "1", "--test-limit", "100",
                "--out", out.toString()).status());
        assertTrue(Files.readString(out.resolve(Report.PAGE)).contains("100 test images"));
        assertNoTempFolders();
    }

    @Test
    void weightsOfAnotherNetAreRefused() {
        Run r = show("googlenet", "--weights", weights.toString(), "--out", dir.resolve("g").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(weights.toString()) && r.err().contains("0.weight"), r.err());
        assertFalse(Files.exists(dir.resolve("g")));
    }

    @Test
    void badImagesAreRefusedWithTheirName() throws Exception {
        Path wide = dir.resolve("wide.png");
        ImageIO.write(new BufferedImage(40, 20, BufferedImage.TYPE_BYTE_GRAY), "png", wide.toFile());
        Path corrupt = dir.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5});
        Path huge = dir.resolve("huge.png");
        Files.write(huge, d2l4j.zoo.TestImages.pngHeader(100_000, 100_000)); // 33 bytes claiming 10^10 pixels
        assertEquals(0, show("lenet", "--weights", weights.toString(), "--images", wide.toString(), "--test-limit", "10",
                "--out", dir.resolve("wide").toString()).status(), "a picture that is not square is centre-cropped");
        for (Path bad : new Path[] {corrupt, huge, dir}) {
            Run r = show("lenet", "--weights", weights.toString(), "--images", bad.toString(), "--out", dir.resolve("bad").toString());
            assertEquals(1, r.status(), bad + ": " + r.err());
            assertTrue(r.err().contains(bad.toString()), r.err());
            assertFalse(Files.exists(dir.resolve("bad")));
        }
        assertTrue(show("lenet", "--weights", weights.toString(), "--images", huge.toString(), "--out", "x").err()
                .contains("100000x100000 pixels, more than the 16777216 this reads (4096x4096)"));
        Run r = show("lenet", "--weights", weights.toString(), "--images", "10000", "--out", dir.resolve("bad").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("test image 10000 does not exist"), r.err());
        assertNoTempFolders();
    }

    @Test
    void anOutThatCannotBeWrittenOrIsNotAReportIsRefused() throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "keep me");
        Run r = show("lenet", "--weights", weights.toString(), "--out", file.resolve("sub").toString(), "--test-limit", "10");
        assertEquals(1, r.status());
        assertTrue(r.err().contains(file.resolve("sub").toString()), r.err());
        Path mine = dir.resolve("my-folder");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "mine");
        r = show("lenet", "--weights", weights.toString(), "--out", mine.toString(), "--test-limit", "10");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("exists and is not a d2l4j report"), r.err());
        assertEquals("mine", Files.readString(mine.resolve("notes.txt")));
        assertFalse(Files.exists(mine.resolve(Report.PAGE)));
        assertEquals("keep me", Files.readString(file));
        assertNoTempFolders();
    }

    private static void assertNoTempFolders() throws Exception {
        try (var s = Files.list(dir)) {
            assertEquals(java.util.List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-") || n.contains(".old-")).toList());
        }
    }
}
