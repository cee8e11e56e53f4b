package d2l4j.zoo;

import d2l4j.kernels.CpuKernels;
import d2l4j.layers.Layer;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.zoo.data.DataException;
import d2l4j.zoo.data.DataFolder;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import d2l4j.zoo.infer.Classifier;
import d2l4j.zoo.infer.Prediction;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/** The command line: {@code d2l4j train lenet [options]}. */
public final class Main {
    private static final String USAGE = """
            usage: d2l4j train <net> [options]     train on Fashion-MNIST with d2l's recipe
                   d2l4j summary <net> [--size N]  each block's output shape, parameters and FLOPs
                   d2l4j predict --net <net> --weights FILE [--top K] [--square-only] IMAGE...
                                                   the top classes of each image (PNG, JPEG, ...: centre-
                                                   cropped to a square unless --square-only, converted to
                                                   gray, resized to the net's side; - is standard input)
                   d2l4j show <net> --weights FILE [--initial FILE] [--images SPEC] [--out DIR]
                                                   an HTML page of what the net learned: filters, feature
                                                   maps, saliency, Grad-CAM, confusion matrix, curves
                   d2l4j serve --net <net> --weights FILE [--port N] [--bind ADDR] [serve options]
                                                   an HTTP server: POST /predict, GET /health, GET /metrics
                   d2l4j jshell                    JShell with the engine and its imports (the book's cells)
                   d2l4j help
            nets: lenet, alexnet, vgg (d2l's small_conv_arch), vgg11 (full VGG-11), nin, googlenet
            options:
              --epochs N       epochs (default: d2l's, 10)
              --lr X           learning rate (default: d2l's: lenet 0.9, alexnet 0.01, vgg 0.05,
                               nin 0.1, googlenet 0.1)
              --batch-size N   minibatch size (default: d2l's, 256 for lenet, 128 for the others)
              --size N         image side after resizing (default: d2l's: 28 lenet, 224, 96 googlenet)
              --seed N         seed for initialization and shuffling (default 0)
              --threads N      CPU threads (default: all available processors)
              --data DIR       Fashion-MNIST folder (else $D2L4J_DATA, ~/.cache/d2l4j/fashion-mnist,
                               /usr/share/datasets/fashion-mnist, else a download)
              --limit N        train on the first N training images only, for quick runs
              --test-limit N   evaluate on the first N test images only (default: all 10000)
              --plot FILE      where to write the training curves (default runs/<net>-<time>.png)
              --device D       cpu (default), cpu:reference (the plain-Java reference kernels), opencl or
                               opencl:N (the N-th OpenCL device; needs the kernels-opencl jar), or auto
                               (OpenCL if it opens, else the CPU)
              --checkpoint DIR save weights and progress to DIR/checkpoint.safetensors after each epoch
                               (atomically: an interrupted run keeps the last complete epoch)
              --resume         continue the run in --checkpoint DIR (same settings): the final weights
                               are bit-identical to an uninterrupted run with the same thread count
              --stats          after each step but the first: its time, kernel launches, device
                               allocations, bytes up and down, waits (the step then waits for the device)
              --report DIR     at the end, write the page of 'show' for the trained net to DIR/index.html
            show options:
              --weights FILE   the net's weights (a checkpoint also gives the curves and norms, and its
                               folder's initial.safetensors the filters before training)
              --initial FILE   the weights before training, for the filters side by side
              --images SPEC    test-set indices and/or image files, comma-separated (default: the first
                               pullover and coat of the test set, then one image of every other class)
              --out DIR        where to write index.html (default runs/<net>-report); replaced only if
                               it holds an earlier report
              --data DIR, --test-limit N, --threads N, --device D   as for train
            serve options:
              --port N         TCP port (default 8080; 0: any free one, printed)
              --bind ADDR      address to listen on (default 127.0.0.1, loopback only; 0.0.0.0 for all)
              --workers N      threads running forward passes (default: available processors)
              --queue N        forward passes waiting before 503 (default 64)
              --max-body N     largest request body in bytes (default 8388608)
              --timeout MS     to receive a body and to answer (default 10000)
              --batch-window MS  requests within MS share one forward pass (default 0: off)
              --max-batch N    images per shared forward pass (default 32)
            """;

    private static final Set<String> TRAIN_OPTIONS =
            Set.of("epochs", "lr", "batch-size", "seed", "threads", "data", "limit", "test-limit", "size", "plot",
                    "checkpoint", "resume", "device", "stats", "report");

    private Main() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
                out.print(USAGE);
                return args.length == 0 ? 2 : 0;
            }
            return switch (args[0]) {
                case "train" -> train(new Options(java.util.Arrays.copyOfRange(args, 1, args.length), TRAIN_OPTIONS), out);
                case "predict" -> predict(new Options(java.util.Arrays.copyOfRange(args, 1, args.length),
                        Set.of("net", "weights", "top", "square-only")), out);
                case "show" -> show(new Options(java.util.Arrays.copyOfRange(args, 1, args.length),
                        Set.of("weights", "initial", "images", "out", "data", "test-limit", "threads", "device")), out);
                case "serve" -> serve(new Options(java.util.Arrays.copyOfRange(args, 1, args.length),
                        Set.of("net", "weights", "port", "bind", "workers", "queue", "max-body", "timeout", "batch-window",
                                "max-batch", "threads", "device")), out);
                case "summary" -> summary(new Options(java.util.Arrays.copyOfRange(args, 1, args.length), Set.of("size")), out);
                default -> throw new Options.UsageException("unknown command '" + args[0] + "'");
            };
        } catch (Options.UsageException e) {
            err.println("d2l4j: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (DataException | IllegalArgumentException | ArithmeticException | java.io.UncheckedIOException
                 | d2l4j.tensor.io.SafeTensorsException e) {
            err.println("d2l4j: " + e.getMessage());
            return 1;
        }
    }

    private static int train(Options o, PrintStream out) {
        if (o.positional().size() != 1) throw new Options.UsageException("train needs one net name, e.g. 'train lenet'");
        Recipe recipe = recipe(o.positional().get(0));
        int epochs = o.intValue("epochs", recipe.epochs(), 1);
        float lr = o.floatValue("lr", recipe.lr());
        int batchSize = o.intValue("batch-size", recipe.batchSize(), 1);
        long seed = o.longValue("seed", 0);
        int threads = o.intValue("threads", Runtime.getRuntime().availableProcessors(), 1);
        Backends.use(chooseBackend(o.stringValue("device", "cpu"), threads));
        checkSide(recipe, o.intValue("size", recipe.imageSide(), 1)); // before loading the data

        Path folder = DataFolder.resolve(o.pathValue("data"));
        FashionMnist trainSet = FashionMnist.load(folder, true), testSet = FashionMnist.load(folder, false);
        int limit = o.intValue("limit", trainSet.size(), 1);
        if (limit > trainSet.size()) throw new Options.UsageException("--limit must be at most " + trainSet.size() + ", got " + limit);
        int side = o.intValue("size", recipe.imageSide(), 1);
        DataLoader train = new DataLoader(trainSet, batchSize, true, seed, limit).resized(side);
        int testLimit = o.intValue("test-limit", testSet.size(), 1);
        if (testLimit > testSet.size()) throw new Options.UsageException("--test-limit must be at most " + testSet.size() + ", got " + testLimit);
        DataLoader test = new DataLoader(testSet, batchSize, false, seed, testLimit).resized(side);

        Layer net = recipe.create(seed);
        Path dir = o.pathValue("checkpoint");
        if (o.flag("resume") && dir == null) throw new Options.UsageException("--resume needs --checkpoint DIR");
        Checkpoint checkpoint = null;
        List<Training.EpochStats> done = List.of();
        if (dir != null) {
            Map<String, String> run = new LinkedHashMap<>();
            run.put("net", recipe.name());
            run.put("seed", Long.toString(seed));
            run.put("lr", Float.toString(lr));
            run.put("batch_size", Integer.toString(batchSize));
            run.put("limit", Integer.toString(limit));
            run.put("size", Integer.toString(side));
            run.put("threads", Integer.toString(threads));
            run.put("kernels", CpuKernels.best().name());
            run.put("device", Backends.current().name().replaceFirst(" \\(.*", ""));
            run.put("test_limit", Integer.toString(testLimit));
            run.put("data", folder.toAbsolutePath().toString());
            checkpoint = new Checkpoint(dir, run);
            checkpoint.probeWritable(); // now, not when the first epoch ends
            checkpoint.removeStaleTempFiles();
            if (o.flag("resume")) {
                if (!checkpoint.exists()) throw new IllegalArgumentException("--resume: no " + checkpoint.file() + " to resume");
                done = checkpoint.resume(net, out).history();
                out.printf("resuming from %s after epoch %d%n", checkpoint.file(), done.size());
            } else if (checkpoint.exists()) {
                throw new IllegalArgumentException(checkpoint.file() + " exists: pass --resume to continue that run, "
                        + "or choose another --checkpoint folder");
            } else {
                checkpoint.saveInitial(net); // the report's filters before training
            }
        }
        Path plot = o.pathValue("plot");
        if (plot == null) {
            String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            plot = Path.of("runs", recipe.name() + "-" + stamp + ".png");
        }
        checkPlot(plot, checkpoint); // before the training, not after it
        Path report = o.pathValue("report");
        if (report != null) d2l4j.zoo.explain.Report.checkOut(report); // before the training, not after it
        float[] initialFilters = report == null ? null : d2l4j.zoo.explain.Show.firstConvolution(net).weight().data().toArray();
        out.printf("training %s on %d images (%d test, %dx%d) for %d epochs: lr %s, batch size %d, seed %d, on %s%n",
                recipe.name(), limit, testLimit, side, side, epochs, lr, batchSize, seed, Backends.current().name());
        if (Backends.current() instanceof d2l4j.kernels.CpuBackend cpu) {
            out.println("kernels: " + cpu.kernels().name() + ", " + cpu.kernels().machine());
        }
        if (done.size() >= epochs) {
            out.printf("the checkpoint already holds %d epochs: nothing to train%n", done.size());
            return 0;
        }
        Training.Result r = Training.train(net, train, test, epochs, lr, out, checkpoint, done, o.flag("stats"),
                checkpoint != null || report != null);
        Training.EpochStats last = r.last();
        out.printf("loss %.3f, train acc %.3f, test acc %.3f%n", last.trainLoss(), last.trainAcc(), last.testAcc());
        out.printf("%.1f examples/sec on %s%n", r.examplesPerSec(), Backends.current().name());
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            // a trimmed runtime (bench/gpu's jlink image) has no imaging: the numbers above are the result
            out.println("plot: not written (this Java runtime lacks the java.desktop module)");
            return 0;
        }
        Plot.write(plot, String.format("%s: lr %s, batch %d, %dx%d", recipe.name(), lr, batchSize, side, side), r.epochs());
        out.println("plot: " + plot.toAbsolutePath());
        if (report != null) {
            if (dir != null && o.flag("resume") && Files.isRegularFile(checkpoint.initialFile())) {
                Layer start = recipe.create(seed);
                d2l4j.layers.StateDict.load(start, checkpoint.initialFile());
                initialFilters = d2l4j.zoo.explain.Show.firstConvolution(start).weight().data().toArray();
            }
            String source = dir != null ? checkpoint.file().toString() : "this run (" + recipe.name() + ", seed " + seed + ")";
            var in = new d2l4j.zoo.explain.Report.Input(recipe.name(), net, side, source, r.epochs(), initialFilters,
                    test, d2l4j.zoo.explain.Show.images(null, testSet, side));
            out.println("report: " + d2l4j.zoo.explain.Report.write(in, report));
        }
        return 0;
    }

    /**
     * --plot may name a new file or an earlier plot (a PNG), never a folder, another kind of file or the run's own
     * checkpoint; its folder must be writable. Checked before training.
     */
    static void checkPlot(Path plot, Checkpoint checkpoint) {
        Path abs = plot.toAbsolutePath().normalize();
        String q = d2l4j.tensor.io.Json.quote(plot.toString());
        if (Files.isDirectory(abs)) throw new IllegalArgumentException("--plot " + q + " is a folder; expected a PNG file to write");
        if (checkpoint != null && (abs.equals(checkpoint.file().toAbsolutePath().normalize())
                || abs.equals(checkpoint.initialFile().toAbsolutePath().normalize()))) {
            throw new IllegalArgumentException("--plot " + q + " is the run's own checkpoint; choose another file");
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            throw new IllegalArgumentException("--plot " + q + " is not a regular file (a pipe or a device?); expected a PNG file");
        }
        if (Files.exists(abs) && fileSize(abs) > 0) { // an empty file holds nothing to lose
            byte[] head = new byte[8];
            try (var in = Files.newInputStream(abs)) {
                int n = in.readNBytes(head, 0, 8);
                if (n < 8 || (head[0] & 0xff) != 0x89 || head[1] != 'P' || head[2] != 'N' || head[3] != 'G') {
                    throw new IllegalArgumentException("--plot " + q + " exists and is not a PNG: not overwriting it");
                }
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--plot " + q + ": cannot read the existing file (" + e.getMessage() + ")");
            }
        }
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--plot " + q + ": cannot create its folder (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(parent)) throw new IllegalArgumentException("--plot " + q + ": its folder is not writable");
    }

    /** Largest --size taken: 1024×1024 images (AlexNet's activations at 1024 are already 1.3 GB a batch of 16). */
    static final int MAX_SIDE = 1024;

    /** Whether images of side×side pass through the net: one image of zeros, forward, no graph. */
    static void checkSide(Recipe recipe, int side) {
        if (side > MAX_SIDE) throw new Options.UsageException("--size must be at most " + MAX_SIDE + ", got " + side);
        Backend chosen = Backends.current(); // the check runs on the CPU whatever the device (host weights, one image)
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
        try (var g = d2l4j.autograd.NoGrad.open(); var a = d2l4j.tensor.Arena.open()) {
            Layer net = recipe.create(0).eval();
            net.forward(new d2l4j.autograd.Variable(d2l4j.tensor.Tensor.zeros(1, 1, side, side)));
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("--size " + side + " does not fit " + recipe.name() + " (d2l's is "
                    + recipe.imageSide() + "): " + e.getMessage());
        } finally {
            Backends.use(chosen);
        }
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    // a net named on the command line: unknown is a usage error (exit 2, with the usage)
    private static Recipe recipe(String name) {
        try {
            return Recipe.of(name);
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException(e.getMessage());
        }
    }

    private static int serve(Options o, PrintStream out) {
        String netName = o.stringValue("net");
        Path weights = o.pathValue("weights");
        if (netName == null || weights == null) throw new Options.UsageException("serve needs --net NAME and --weights FILE");
        var d = d2l4j.zoo.serve.Server.Config.defaults();
        int threads = o.intValue("threads", Runtime.getRuntime().availableProcessors(), 1);
        int port = o.intValue("port", d.port(), 0);
        if (port > 65535) throw new Options.UsageException("--port must be at most 65535, got " + port);
        var config = new d2l4j.zoo.serve.Server.Config(o.stringValue("bind", d.bind()), port,
                o.intValue("workers", d.workers(), 1), o.intValue("queue", d.queue(), 1), d.maxConnections(),
                o.longValue("max-body", d.maxBody()), d.maxPixels(),
                java.time.Duration.ofMillis(o.intValue("timeout", (int) d.timeout().toMillis(), 1)),
                o.intValue("batch-window", d.batchWindowMs(), 0), o.intValue("max-batch", d.maxBatch(), 1));
        if (config.maxBody() < 1) throw new Options.UsageException("--max-body must be at least 1, got " + config.maxBody());
        Backends.use(chooseBackend(o.stringValue("device", "cpu"), threads));
        Classifier c = Classifier.load(recipe(netName).name(), weights, System.err::println);
        d2l4j.zoo.serve.Server server;
        try {
            server = d2l4j.zoo.serve.Server.start(c, config);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage());
        }
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // SIGTERM, SIGINT: finish what is in flight
            System.err.println("d2l4j: stopping: finishing the requests in flight");
            server.stop(java.time.Duration.ofSeconds(10));
            stopped.countDown();
        }, "d2l4j-serve-shutdown"));
        out.println(server.describe());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int show(Options o, PrintStream out) {
        if (o.positional().size() != 1) throw new Options.UsageException("show needs one net name, e.g. 'show lenet --weights FILE'");
        Path weights = o.pathValue("weights");
        if (weights == null) throw new Options.UsageException("show needs --weights FILE");
        Recipe recipe = recipe(o.positional().get(0));
        int threads = o.intValue("threads", Runtime.getRuntime().availableProcessors(), 1);
        Backends.use(chooseBackend(o.stringValue("device", "cpu"), threads));
        FashionMnist testSet = FashionMnist.load(DataFolder.resolve(o.pathValue("data")), false);
        int testLimit = o.intValue("test-limit", testSet.size(), 1);
        if (testLimit > testSet.size()) throw new Options.UsageException("--test-limit must be at most " + testSet.size() + ", got " + testLimit);
        Path dest = o.pathValue("out");
        if (dest == null) dest = Path.of("runs", recipe.name() + "-report");
        d2l4j.zoo.explain.Report.checkOut(dest);
        var in = d2l4j.zoo.explain.Show.input(recipe.name(), weights, o.pathValue("initial"), o.stringValue("images"), testSet, testLimit);
        out.println("report: " + d2l4j.zoo.explain.Report.write(in, dest));
        return 0;
    }

    private static int predict(Options o, PrintStream out) {
        String netName = o.stringValue("net");
        Path weights = o.pathValue("weights");
        if (netName == null || weights == null) throw new Options.UsageException("predict needs --net NAME and --weights FILE");
        if (o.positional().isEmpty()) throw new Options.UsageException("predict needs at least one image file");
        int top = o.intValue("top", 3, 1);
        Classifier c = Classifier.load(recipe(netName).name(), weights, System.err::println);
        for (String name : o.positional()) {
            BufferedImage img;
            if (name.equals("-")) { // standard input
                try {
                    img = d2l4j.zoo.infer.Images.decode(System.in.readNBytes(64 << 20), "standard input", d2l4j.zoo.infer.Images.MAX_PIXELS);
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("standard input: cannot read (" + e.getMessage() + ")");
                }
            } else {
                img = d2l4j.zoo.infer.Images.read(Options.path("image", name), d2l4j.zoo.infer.Images.MAX_PIXELS);
            }
            Prediction p;
            try {
                p = c.classify(Classifier.grayscale(img, c.imageSide(), !o.flag("square-only")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage());
            }
            StringBuilder line = new StringBuilder(name).append(':');
            for (Prediction.Scored s : p.top(top)) {
                line.append(String.format("  %s %.3f", s.label(), s.probability()));
            }
            out.println(line);
        }
        return 0;
    }

    /**
     * The backend for {@code --device}, opened by {@link Backends#open}: cpu, cpu:reference, opencl[:N] (an error
     * naming what is missing if it can't open), auto (OpenCL when it opens, otherwise one line saying why and the CPU).
     */
    static Backend chooseBackend(String device, int threads) {
        if (!device.toLowerCase(Locale.ROOT).matches("cpu(:reference)?|opencl(:\\d{1,4})?|auto")) {
            throw new Options.UsageException("--device expects cpu, cpu:reference, opencl, opencl:N or auto, got "
                    + d2l4j.tensor.io.Json.quote(device));
        }
        return Backends.open(device, threads);
    }

    private static int summary(Options o, PrintStream out) {
        if (o.positional().size() != 1) throw new Options.UsageException("summary needs one net name, e.g. 'summary alexnet'");
        Recipe recipe = recipe(o.positional().get(0));
        int side = o.intValue("size", recipe.imageSide(), 1);
        checkSide(recipe, side);
        Layer net = recipe.create(0);
        if (!(net instanceof d2l4j.layers.Sequential seq)) throw new IllegalStateException(recipe.name() + " is not a Sequential");
        Summary.print(recipe.name(), seq, side, out);
        return 0;
    }
}
