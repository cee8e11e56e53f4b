package d2l4j.zoo.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.layers.Layer;
import d2l4j.tensor.Backends;
import d2l4j.zoo.LeNet;
import d2l4j.zoo.Training;
import d2l4j.zoo.data.DataFolder;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The report opened in a real browser: headless Chromium (Debian's chromium, which the test command installs)
 * loads the page from disk; the page's own script sets data-figures="ok N" on its body once the page has loaded
 * and all N figures have a decoded size, and the test reads it from the DOM Chromium dumps; a copy with one
 * figure's PNG broken must read "failed 1 of N" (the check can fail). A screenshot goes to
 * zoo/target/report-screenshot.png for a human to look at.
 */
class ReportBrowserTest {

    @Test
    void everyFigureDecodesInChromium() throws Exception {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "no chromium on PATH (./d2l4j test installs Debian's chromium)");
        Backends.use(Backends.open("cpu", 2));
        FashionMnist train = FashionMnist.load(DataFolder.resolve(null), true), test = FashionMnist.load(DataFolder.resolve(null), false);
        Layer net = LeNet.create(3);
        float[] initial = Show.firstConvolution(net).weight().data().toArray();
        Training.Result r = Training.train(net, new DataLoader(train, 256, true, 3, 1024), new DataLoader(test, 256, false, 3, 512),
                2, 0.9f, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        Path out = Path.of("target", "report-browser-test").toAbsolutePath();
        var in = new Report.Input("lenet", net, 28, "a 2-epoch test run", r.epochs(), initial,
                new DataLoader(test, 256, false, 0, 512), Show.images(null, test, 28));
        Path page = Report.write(in, out);
        String html = Files.readString(page);
        int images = count(html, "<img ");
        assertTrue(images >= 10 * 3 + 2 + 1, "figures in the page: " + images);

        String dom = run(chromium, "--dump-dom", page.toUri().toString());
        Matcher m = Pattern.compile("data-figures=\"([^\"]*)\"").matcher(dom);
        assertTrue(m.find(), "the page's script did not mark the body (no data-figures in the DOM)");
        assertEquals("ok " + images, m.group(1), "every figure decoded with a size");
        String broken = html.replaceFirst("data:image/png;base64,iVBOR", "data:image/png;base64,AAAAA");
        Path brokenPage = out.resolveSibling("report-browser-test-broken.html");
        Files.writeString(brokenPage, broken);
        Matcher b = Pattern.compile("data-figures=\"([^\"]*)\"").matcher(run(chromium, "--dump-dom", brokenPage.toUri().toString()));
        assertTrue(b.find(), "no data-figures in the broken page's DOM");
        assertEquals("failed 1 of " + images, b.group(1), "a broken figure is caught");
        Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        run(chromium, "--window-size=1400,3000", "--screenshot=" + shot, page.toUri().toString());
        assertTrue(Files.size(shot) > 10_000, "screenshot written: " + shot);
    }

    static Path chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        return null;
    }

    // chromium --headless with a virtual time budget (the page's promises settle within it), its stdout
    private static String run(Path chromium, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=10000"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Map.of("HOME", Path.of("target").toAbsolutePath().toString()));
        Process p = pb.start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium's exit status");
        return new String(stdout, StandardCharsets.UTF_8);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
