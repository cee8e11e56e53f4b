package d2l4j.zoo.explain;

import d2l4j.layers.Conv2d;
import d2l4j.layers.Layer;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.zoo.Plot;
import d2l4j.zoo.Training;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a trained net learned, as one self-contained HTML page (every figure an inline PNG, no script library,
 * no network): its first convolution's filters (before and after training when the initial weights are known),
 * each chosen image's block outputs, saliency and Grad-CAM for the predicted and the true class, the test set's
 * confusion matrix, per-class accuracy and the most confidently wrong images, and the training curves and
 * per-parameter norms when the weights came with a history.
 *
 * <p>Written atomically: the page goes into a temporary folder beside {@code --out}, which is then renamed to it;
 * an existing {@code --out} is replaced only if it holds an earlier report (its {@value #MARKER} file), so a
 * folder the user did not make for this is never overwritten, and a failure leaves nothing half-written.
 */
public final class Report {
    private Report() {}

    /** The file that marks a folder as a report written here (and so replaceable by the next one). */
    public static final String MARKER = ".d2l4j-report";
    public static final String PAGE = "index.html";

    /** One image to explain: its pixels (side×side gray in [0, 1]), its true class (−1 if unknown) and where it came from. */
    public record Image(String name, float[] pixels, int label) {}

    /**
     * Everything the page shows. {@code history} may be empty and {@code initialFilters} null (then those sections
     * say why they are missing); {@code test} is evaluated for the confusion matrix.
     */
    public record Input(String net, Layer model, int side, String weights, List<Training.EpochStats> history,
                        float[] initialFilters, DataLoader test, List<Image> images) {}

    /** Builds the page and writes it to {@code out}/index.html (see the class comment); returns the page's path. */
    public static Path write(Input in, Path out) {
        checkOut(out);
        String html = page(in);
        return publish(out, html);
    }

    // ---- the page ----

    static String page(Input in) {
        Layer net = in.model();
        net.eval();
        List<Probe.Step> steps = Probe.steps(net);
        StringBuilder b = new StringBuilder(1 << 20);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(Html.escape("What " + in.net() + " learned")).append("</title>\n").append(STYLE).append("</head>\n<body>\n");
        b.append("<h1>What ").append(Html.escape(in.net())).append(" learned</h1>\n<p class=\"meta\">weights: <code>")
                .append(Html.escape(in.weights())).append("</code>; computed on ").append(Html.escape(Backends.current().name()))
                .append("; images ").append(in.side()).append('×').append(in.side()).append(".</p>\n");
        filters(b, steps, in.initialFilters());
        Confusion confusion = Confusion.evaluate(net, in.test(), 12);
        images(b, net, steps, in.images(), in.side());
        confusion(b, confusion, in.test());
        curves(b, in);
        b.append(SCRIPT).append("</body></html>\n");
        return b.toString();
    }

    private static void filters(StringBuilder b, List<Probe.Step> steps, float[] initial) {
        Conv2d first = null;
        for (Probe.Step s : steps) if (s.layer() instanceof Conv2d c) { first = c; break; }
        if (first == null) return;
        int[] w = first.weight().data().shape(); // K, C, R, S
        b.append("<h2>First convolution's filters</h2>\n<p>").append(Html.escape(first.path() + ".weight")).append(' ')
                .append(Html.escape(first.weight().data().shapeString()))
                .append(": each ").append(w[2]).append('×').append(w[3]).append(" filter of input channel 0; blue negative, white 0, red positive, ");
        float[] after = first.weight().data().toArray();
        float m = maxAbs(after);
        if (initial != null) m = Math.max(m, maxAbs(initial));
        b.append(String.format(Locale.ROOT, "one scale for all (full color at ±%.3g).</p>%n<div class=\"row\">", m));
        if (initial != null) figure(b, "before training", filterGrid(initial, w, m));
        figure(b, initial != null ? "after training" : "trained", filterGrid(after, w, m));
        b.append("</div>\n");
        if (initial == null) b.append("<p class=\"note\">No initial weights given (a checkpoint folder's initial.safetensors, or --initial FILE): only the trained filters.</p>\n");
    }

    private static BufferedImage filterGrid(float[] weight, int[] shape, float m) {
        int k = shape[0], c = shape[1], rs = shape[2] * shape[3];
        List<float[]> tiles = new ArrayList<>();
        for (int i = 0; i < k; i++) tiles.add(java.util.Arrays.copyOfRange(weight, i * c * rs, i * c * rs + rs));
        int cols = (int) Math.ceil(Math.sqrt(k));
        return Figures.grid(tiles, shape[2], shape[3], cols, Math.max(3, 60 / shape[2]), Figures.DIVERGING, -m, m);
    }

    private static void images(StringBuilder b, Layer net, List<Probe.Step> steps, List<Image> images, int side) {
        int target = Probe.lastConvolutionBlock(steps);
        b.append("<h2>What each image does in the net</h2>\n");
        if (images.size() >= 2 && images.get(0).label() == 2 && images.get(1).label() == 4) {
            b.append("<p>First a pullover (a sweater) and a coat, side by side, as in d2l's LeNet exercise (\"display the ")
                    .append("activations of the first and second layer of LeNet for different inputs, e.g. sweaters and coats\"); ")
                    .append("then one image of every other class.</p>\n");
        }
        b.append("<p>For each image: the net's top classes; every convolution ")
                .append("block's output channels (gray, each channel scaled to its own range; an Inception block's by path); ")
                .append("saliency |∂y<sub>c</sub>/∂x| and Grad-CAM at <code>").append(Html.escape(steps.get(target).title()))
                .append("</code>, for the predicted and the true class.</p>\n<div class=\"images\">\n");
        for (Image img : images) {
            Tensor x = Backends.current().toDevice(Tensor.of(img.pixels().clone(), 1, 1, side, side));
            Probe.Trace trace = Probe.trace(steps, x);
            int predicted = Confusion.argmax(trace.logits(), 0, trace.logits().length);
            b.append("<section class=\"image\"><h3>").append(Html.escape(img.name())).append("</h3>\n<p>");
            if (img.label() >= 0) b.append("true: <b>").append(Html.escape(FashionMnist.textLabel(img.label()))).append("</b>; ");
            b.append("predicted: ");
            Integer[] order = new Integer[trace.logits().length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, Comparator.comparingDouble(i -> -trace.logits()[i]));
            for (int i = 0; i < 3; i++) {
                float p = Confusion.softmaxAt(trace.logits(), 0, trace.logits().length, order[i]);
                if (i > 0) b.append(", ");
                b.append(Html.escape(FashionMnist.textLabel(order[i]))).append(String.format(Locale.ROOT, " %.3f", p));
            }
            b.append("</p>\n<div class=\"row\">");
            int scale = Math.max(1, 112 / side);
            figure(b, "input", Figures.overlay(img.pixels(), null, side, scale));
            List<int[]> classes = new ArrayList<>();
            classes.add(new int[] {predicted});
            if (img.label() >= 0 && img.label() != predicted) classes.add(new int[] {img.label()});
            for (int[] c : classes) {
                String cls = FashionMnist.textLabel(c[0]) + (c[0] == predicted ? " (predicted)" : " (true)");
                figure(b, "saliency, " + cls, Figures.overlay(img.pixels(), Attribution.saliency(net, steps, x, c[0]), side, scale));
                Attribution.GradCam cam = Attribution.gradCam(net, steps, target, x, c[0]);
                figure(b, "Grad-CAM, " + cls, Figures.overlay(img.pixels(), cam.upsampled(), side, scale));
            }
            b.append("</div>\n");
            for (Probe.FeatureMap fm : trace.maps()) featureMap(b, fm);
            b.append("</section>\n");
        }
        b.append("</div>\n");
    }

    private static void featureMap(StringBuilder b, Probe.FeatureMap fm) {
        int[] s = fm.value().shape();
        if (s.length != 3) return;
        float[] v = fm.value().toArray();
        b.append("<h4>").append(Html.escape(fm.title())).append(" <span class=\"shape\">").append(Html.escape(fm.shape()))
                .append("</span></h4>\n<div class=\"row\">");
        List<Probe.Branch> parts = fm.branches().isEmpty() ? List.of(new Probe.Branch("", "", 0, s[0])) : fm.branches();
        for (Probe.Branch part : parts) {
            List<float[]> tiles = new ArrayList<>();
            int hw = s[1] * s[2];
            for (int c = part.from(); c < part.to(); c++) tiles.add(java.util.Arrays.copyOfRange(v, c * hw, (c + 1) * hw));
            int cols = (int) Math.ceil(Math.sqrt(tiles.size() * 1.5));
            int scale = Math.max(1, Math.min(6, 360 / (cols * (s[2] + 1))));
            String caption = part.name().isEmpty() ? s[0] + " channels"
                    : part.name() + " (" + part.layers() + "): channels " + part.from() + "-" + (part.to() - 1);
            figure(b, caption, Figures.grid(tiles, s[1], s[2], cols, scale, Figures.GRAY, true));
        }
        b.append("</div>\n");
    }

    private static void confusion(StringBuilder b, Confusion c, DataLoader test) {
        int classes = FashionMnist.CLASSES;
        b.append("<h2>Test set</h2>\n<p>").append(c.total()).append(" test images: accuracy ")
                .append(String.format(Locale.ROOT, "%.3f", c.accuracy()))
                .append(". Confusion matrix: row = true class, column = predicted; shade = share of the row.</p>\n")
                .append("<table class=\"confusion\"><tr><th>true \\ predicted</th>");
        for (int p = 0; p < classes; p++) b.append("<th>").append(Html.escape(FashionMnist.textLabel(p))).append("</th>");
        b.append("<th>accuracy</th></tr>\n");
        for (int t = 0; t < classes; t++) {
            int row = 0;
            for (int p = 0; p < classes; p++) row += c.count(t, p);
            b.append("<tr><th>").append(Html.escape(FashionMnist.textLabel(t))).append("</th>");
            for (int p = 0; p < classes; p++) {
                double share = row == 0 ? 0 : c.count(t, p) / (double) row;
                int shade = (int) Math.round(255 - 180 * share);
                String bg = t == p ? String.format("rgb(%d,255,%d)", shade, shade) : String.format("rgb(255,%d,%d)", shade, shade);
                b.append("<td style=\"background:").append(bg).append("\">").append(c.count(t, p)).append("</td>");
            }
            double acc = c.classAccuracy(t);
            b.append("<td>").append(Double.isNaN(acc) ? "-" : String.format(Locale.ROOT, "%.3f", acc)).append("</td></tr>\n");
        }
        b.append("</table>\n<h3>Most confidently wrong</h3>\n<div class=\"row\">");
        byte[] pixels = test.dataset().pixels();
        for (Confusion.Mistake m : c.worst()) {
            float[] img = new float[FashionMnist.PIXELS];
            for (int i = 0; i < img.length; i++) img[i] = (pixels[m.index() * FashionMnist.PIXELS + i] & 0xff) / 255f;
            figure(b, "#" + m.index() + ": " + FashionMnist.textLabel(m.label()) + " as " + FashionMnist.textLabel(m.predicted())
                    + String.format(Locale.ROOT, " (%.3f)", m.probability()), Figures.overlay(img, null, FashionMnist.ROWS, 3));
        }
        b.append("</div>\n");
    }

    private static void curves(StringBuilder b, Input in) {
        b.append("<h2>Training</h2>\n");
        List<Training.EpochStats> h = in.history();
        if (h.isEmpty()) {
            b.append("<p class=\"note\">No training history: the weights file is not a checkpoint of ./d2l4j train --checkpoint.</p>\n");
            return;
        }
        b.append("<div class=\"row\">");
        figure(b, "loss and accuracy per epoch", Plot.render(in.net() + ": " + h.size() + " epochs", h));
        b.append("</div>\n");
        Map<String, double[]> lastNorms = h.get(h.size() - 1).norms();
        if (lastNorms.isEmpty()) return;
        b.append("<p>L2 norms per parameter: weights after each epoch / gradient in its last step.</p>\n")
                .append("<table class=\"norms\"><tr><th>parameter</th>");
        for (Training.EpochStats e : h) b.append("<th>epoch ").append(e.epoch()).append("</th>");
        b.append("</tr>\n");
        for (String name : lastNorms.keySet()) {
            b.append("<tr><th>").append(Html.escape(name)).append("</th>");
            for (Training.EpochStats e : h) {
                double[] n = e.norms().get(name);
                b.append("<td>").append(n == null ? "-" : String.format(Locale.ROOT, "%.3g / %.3g", n[0], n[1])).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static void figure(StringBuilder b, String caption, BufferedImage img) {
        b.append("<figure><img src=\"").append(Figures.dataUri(img)).append("\" width=\"").append(img.getWidth())
                .append("\" height=\"").append(img.getHeight()).append("\" alt=\"").append(Html.escape(caption))
                .append("\"><figcaption>").append(Html.escape(caption)).append("</figcaption></figure>");
    }

    private static float maxAbs(float[] v) {
        float m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static final String STYLE = """
            <style>
            body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1400px; }
            .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
            figure { margin: 0 0 8px 0; } figcaption { font-size: 12px; color: #555; max-width: 400px; }
            img { image-rendering: pixelated; }
            .images { display: flex; flex-wrap: wrap; gap: 24px; }
            section.image { border: 1px solid #ccc; padding: 8px 12px; max-width: 640px; }
            h4 { margin: 8px 0 4px; font-weight: normal; } .shape { color: #777; }
            table { border-collapse: collapse; font-size: 12px; } td, th { border: 1px solid #ccc; padding: 3px 6px; text-align: right; }
            .note, .meta { color: #666; }
            </style>
            """;

    // Sets data-figures on <body> when the page has loaded (every image fetched and its header decoded, or failed):
    // "ok N" if all N images have a size, else "failed K of N" (read by the browser test from the dumped DOM).
    private static final String SCRIPT = """
            <script>
            window.addEventListener('load', function () {
              var imgs = Array.prototype.slice.call(document.images);
              var bad = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0 && i.naturalHeight > 0); });
              document.body.setAttribute('data-figures', bad.length === 0 ? 'ok ' + imgs.length
                  : 'failed ' + bad.length + ' of ' + imgs.length);
            });
            </script>
            """;

    // ---- writing ----

    /** Refuses an {@code out} that exists and is not an earlier report (before the work of making one). */
    public static void checkOut(Path out) {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isRegularFile(target.resolve(MARKER))) {
            throw new IllegalArgumentException(target + " exists and is not a d2l4j report (no " + MARKER
                    + " in it): choose another folder or remove it");
        }
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            throw new IllegalArgumentException("the report needs the java.desktop module (PNG writing), which this Java runtime lacks");
        }
    }

    /** Writes the page into a temporary folder beside {@code out}, then renames it into place. */
    static Path publish(Path out, String html) {
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        checkOut(target);
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) { // a folder to share, not a private temp one
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(tmp.resolve(PAGE), html, StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve(MARKER), "written by d2l4j show / train --report; replaced by the next report\n");
            if (Files.exists(target)) {
                Path old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
                Files.move(target, old.resolve("report"), StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            tmp = null;
            return target.resolve(PAGE);
        } catch (AccessDeniedException | FileAlreadyExistsException e) {
            throw new IllegalArgumentException("--out " + target + ": cannot write there (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("--out " + target + ": cannot write the report: " + e.getMessage(), e);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover temporary folder is named as such and harmless
        }
    }
}
