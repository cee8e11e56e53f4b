package d2l4j.zoo.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import d2l4j.tensor.io.Json;
import d2l4j.zoo.data.FashionMnist;
import d2l4j.zoo.infer.Classifier;
import d2l4j.zoo.infer.Images;
import d2l4j.zoo.infer.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code d2l4j serve}: a classifier behind the JDK's own HTTP server (jdk.httpserver; no dependency).
 *
 * <pre>
 * POST /predict   body: an image (PNG, JPEG, GIF, BMP; Content-Type image/* or application/octet-stream), or a
 *                 JSON array of side×side (or 28×28) pixels in [0, 1] (Content-Type application/json);
 *                 ?top=K (1-10, default 3). 200: {"net":..,"top":[{"class":..,"label":..,"probability":..}],
 *                 "batch":n}. Errors: {"error": what was expected and what came, "kind": ...} with 400 (bad
 *                 image or JSON), 405, 408 (body too slow), 413 (body too large), 415 (other types), 503
 *                 (queue full, or shutting down; with Retry-After)
 * GET /health     {"status":"ok"} (503 "draining" during shutdown)
 * GET /metrics    Prometheus text: requests by path and code, errors by kind, latency and batch-size histograms
 * </pre>
 *
 * <p>Bounds: connections reading a body at once ({@code maxConnections}), the body ({@code maxBody} bytes,
 * refused from its Content-Length before reading, or when reading passes it), the pixels an image may decode to
 * ({@code maxPixels}, from its header before decoding), the time to receive a body ({@code timeout}; a client
 * that stalls completely is cut by the JDK server's own request timer), and the forward passes waiting
 * ({@code queue}; past it 503). Forward passes run on {@code workers} platform threads, which keep the kernels'
 * per-thread workspaces from request to request; the HTTP side runs on virtual threads. With a batch window,
 * requests arriving within it share one forward pass (at most {@code maxBatch} images); each image's answer is
 * the bits it gets alone (no kernel's path or sum order depends on the batch: ConcurrentClassifierTest, ServerTest).
 * {@link #stop} (and SIGTERM, through the command line's shutdown hook) stops accepting, answers the requests in
 * flight, then closes.
 */
public final class Server {

    /** The server's settings; {@link #defaults()} for the command line's. */
    public record Config(String bind, int port, int workers, int queue, int maxConnections, long maxBody, long maxPixels,
                         Duration timeout, int batchWindowMs, int maxBatch) {
        public static Config defaults() {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Config("127.0.0.1", 8080, cores, 64, 256, 8L << 20, 2048L * 2048, Duration.ofSeconds(10), 0, 32);
        }

        public Config withPort(int p) {
            return new Config(bind, p, workers, queue, maxConnections, maxBody, maxPixels, timeout, batchWindowMs, maxBatch);
        }
    }

    private final Classifier classifier;
    private final Config config;
    private final HttpServer http;
    private final ThreadPoolExecutor compute;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore connections;
    private final Metrics metrics = new Metrics();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Batcher batcher;

    private Server(Classifier classifier, Config config) throws IOException {
        this.classifier = classifier;
        this.config = config;
        this.connections = new Semaphore(config.maxConnections());
        this.compute = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.queue())), r -> {
                    Thread t = new Thread(r, "d2l4j-serve-compute");
                    t.setDaemon(true);
                    return t;
                });
        this.batcher = config.batchWindowMs() > 0 ? new Batcher(classifier, config.batchWindowMs(), config.maxBatch(), metrics) : null;
        this.http = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 128);
        http.setExecutor(io);
        http.createContext("/predict", this::predict);
        http.createContext("/health", this::health);
        http.createContext("/metrics", this::metricsPage);
        http.createContext("/", ex -> respond(ex, "/", 404, error("not_found", "no such path " + Json.quote(ex.getRequestURI().getPath())
                + "; the paths are POST /predict, GET /health, GET /metrics")));
    }

    /** Starts serving {@code classifier}; the port is {@link #port()} (useful with port 0). */
    public static Server start(Classifier classifier, Config config) throws IOException {
        // the JDK server's own timers: a request (headers and body) must arrive within the timeout, a response be
        // taken within it (they cut connections that stall completely; a slow trickle gets our 408 first)
        long seconds = Math.max(1, config.timeout().toSeconds() + 2);
        System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(seconds));
        System.setProperty("sun.net.httpserver.maxRspTime", Long.toString(seconds));
        Server s = new Server(classifier, config);
        if (s.batcher != null) s.batcher.start();
        s.http.start();
        return s;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return "http://" + http.getAddress().getHostString() + ":" + port();
    }

    /**
     * Stops accepting connections, lets the requests in flight finish (waiting at most {@code grace}), then closes.
     * /health answers 503 "draining" meanwhile.
     */
    public void stop(Duration grace) {
        if (!draining.compareAndSet(false, true)) return;
        http.stop((int) Math.max(1, grace.toSeconds())); // waits for the exchanges in flight, up to grace
        if (batcher != null) batcher.stop();
        compute.shutdown();
        try {
            compute.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdown();
    }

    // ---- handlers ----

    private void predict(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        metrics.inFlight.incrementAndGet();
        try {
            Answer a = answer(ex);
            respond(ex, "/predict", a.status(), a.json());
        } finally {
            metrics.inFlight.decrementAndGet();
            metrics.latency((System.nanoTime() - t0) / 1e9);
        }
    }

    private record Answer(int status, String json) {}

    private Answer answer(HttpExchange ex) {
        if (!ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            return new Answer(405, error("method", "/predict takes POST with an image or a JSON pixel array, got "
                    + Json.quote(ex.getRequestMethod())));
        }
        if (draining.get()) return busy(ex, "shutting_down", "the server is shutting down");
        int top;
        try {
            top = topParameter(ex.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            return new Answer(400, error("bad_query", e.getMessage()));
        }
        if (!connections.tryAcquire()) return busy(ex, "busy", "too many requests at once (" + config.maxConnections() + ")");
        byte[] body;
        try {
            body = readBody(ex);
        } catch (Refused r) {
            return new Answer(r.status, error(r.kind, r.getMessage()));
        } finally {
            connections.release();
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String mime = type == null ? "" : type.split(";")[0].strip().toLowerCase(Locale.ROOT);
        float[] image;
        try {
            image = decode(body, mime);
        } catch (Refused r) {
            return new Answer(r.status, error(r.kind, r.getMessage()));
        } catch (IllegalArgumentException e) {
            return new Answer(400, error(mime.equals("application/json") ? "bad_json" : "bad_image", e.getMessage()));
        }
        CompletableFuture<float[]> logits;
        try {
            logits = batcher != null ? batcher.submit(image) : CompletableFuture.supplyAsync(() -> {
                metrics.batch(1);
                return classifier.logits(image, 1);
            }, compute);
        } catch (RejectedExecutionException e) {
            return busy(ex, "queue_full", "the queue of forward passes is full (" + config.queue() + ")");
        }
        float[] z;
        try {
            z = logits.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            logits.cancel(false);
            return busy(ex, "timeout", "no answer within " + config.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(500, error("interrupted", "interrupted"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RejectedExecutionException) {
                return busy(ex, "queue_full", "the queue of forward passes is full (" + config.queue() + ")");
            }
            metrics.error("internal");
            return new Answer(500, error("internal", String.valueOf(e.getCause())));
        }
        return new Answer(200, prediction(z, top, batchSizeOf(logits)));
    }

    private static int batchSizeOf(CompletableFuture<float[]> f) {
        return f instanceof Batcher.Job j ? j.batch : 1;
    }

    private Answer busy(HttpExchange ex, String kind, String message) {
        ex.getResponseHeaders().set("Retry-After", "1");
        return new Answer(503, error(kind, message));
    }

    private String prediction(float[] z, int top, int batch) {
        Prediction p = new Prediction(Classifier.softmax(z, 0, z.length), classifier.labels());
        StringBuilder b = new StringBuilder("{\"net\":").append(Json.quote(classifier.name())).append(",\"top\":[");
        List<Prediction.Scored> best = p.top(top);
        for (int i = 0; i < best.size(); i++) {
            Prediction.Scored s = best.get(i);
            if (i > 0) b.append(',');
            b.append("{\"class\":").append(s.index()).append(",\"label\":").append(Json.quote(s.label()))
                    .append(",\"probability\":").append(s.probability()).append('}');
        }
        return b.append("],\"batch\":").append(batch).append('}').toString();
    }

    private void health(HttpExchange ex) throws IOException {
        if (draining.get()) respond(ex, "/health", 503, "{\"status\":\"draining\"}");
        else respond(ex, "/health", 200, "{\"status\":\"ok\",\"net\":" + Json.quote(classifier.name()) + "}");
    }

    private void metricsPage(HttpExchange ex) throws IOException {
        byte[] page = metrics.render().getBytes(StandardCharsets.UTF_8);
        metrics.request("/metrics", 200);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        drain(ex);
        ex.sendResponseHeaders(200, page.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(page);
        }
    }

    // ---- body, decoding ----

    /** A request refused with a status and a kind (for the JSON error and the metrics). */
    private static final class Refused extends Exception {
        final int status;
        final String kind;

        Refused(int status, String kind, String message) {
            super(message, null, false, false);
            this.status = status;
            this.kind = kind;
        }
    }

    private byte[] readBody(HttpExchange ex) throws Refused {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new Refused(400, "bad_length", "Content-Length " + Json.quote(length) + " is not a number");
            }
            if (n > config.maxBody()) {
                throw new Refused(413, "too_large", "the body is " + n + " bytes; at most " + config.maxBody() + " are read");
            }
        }
        long deadline = System.nanoTime() + config.timeout().toNanos();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[64 << 10];
        // not closed on a refusal: closing reads the rest of the body first, which a slow client would stretch out
        InputStream in = ex.getRequestBody();
        try {
            for (int r; (r = in.read(buf)) >= 0; ) {
                if (out.size() + (long) r > config.maxBody()) {
                    // answered at once and the connection closed: a client still sending sees the answer if it
                    // reads while it sends (curl does), else the reset
                    ex.getResponseHeaders().set("Connection", "close");
                    throw new Refused(413, "too_large", "the body passed " + config.maxBody() + " bytes, the most that are read");
                }
                out.write(buf, 0, r);
                if (System.nanoTime() > deadline) {
                    throw new Refused(408, "timeout", "the body took more than " + config.timeout().toMillis()
                            + " ms to arrive (" + out.size() + " bytes so far)");
                }
            }
            in.close();
        } catch (IOException e) {
            throw new Refused(400, "read", "the body could not be read: " + e.getMessage());
        }
        if (out.size() == 0) {
            throw new Refused(400, "empty", "the body is empty; expected an image (PNG, JPEG, ...) or a JSON array of pixels");
        }
        return out.toByteArray();
    }

    private float[] decode(byte[] body, String mime) throws Refused {
        int side = classifier.imageSide();
        String allowed = side == FashionMnist.ROWS ? (side * side) + " (" + side + "x" + side + ")"
                : (side * side) + " (" + side + "x" + side + ") or 784 (28x28)";
        if (mime.equals("application/json")) {
            return classifier.prepare(PixelsJson.parse(body, side * side, allowed));
        }
        // no type, or curl's default for --data-binary: the bytes are taken as an image file
        if (mime.isEmpty() || mime.startsWith("image/") || mime.equals("application/octet-stream")
                || mime.equals("application/x-www-form-urlencoded")) {
            return Classifier.grayscale(Images.decode(body, "the request's image", config.maxPixels()), side);
        }
        throw new Refused(415, "unsupported_type", "Content-Type " + Json.quote(mime) + " is not taken; send an image "
                + "(image/png, image/jpeg, ... or application/octet-stream) or application/json (an array of " + allowed + " pixels)");
    }

    private static int topParameter(String query) {
        if (query == null) return 3;
        for (String kv : query.split("&")) {
            if (kv.startsWith("top=")) {
                String v = kv.substring(4);
                try {
                    int k = Integer.parseInt(v);
                    if (k >= 1 && k <= 10) return k;
                } catch (NumberFormatException e) {
                    // below
                }
                throw new IllegalArgumentException("top must be 1-10, got " + Json.quote(v));
            }
        }
        return 3;
    }

    // ---- responses ----

    private String error(String kind, String message) {
        metrics.error(kind);
        return "{\"error\":" + Json.quote(message) + ",\"kind\":" + Json.quote(kind) + "}";
    }

    private void respond(HttpExchange ex, String path, int status, String json) throws IOException {
        metrics.request(path, status);
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (status >= 400 && status != 408) drain(ex);
        else if (status == 408) ex.getResponseHeaders().set("Connection", "close");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        } catch (IOException e) {
            // the client went away: nothing to tell it
        }
    }

    // reads and drops what is left of a (small) body so the connection can be reused; a large one is not read
    private void drain(HttpExchange ex) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            if (length != null && Long.parseLong(length.strip()) <= config.maxBody()) ex.getRequestBody().readAllBytes();
            else ex.getResponseHeaders().set("Connection", "close");
        } catch (IOException | NumberFormatException e) {
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    /** Thread of the command line: the lines it prints at start. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add(config.workers() + " compute threads");
        parts.add("queue " + config.queue());
        parts.add("bodies up to " + config.maxBody() + " bytes");
        parts.add("timeout " + config.timeout().toMillis() + " ms");
        parts.add(config.batchWindowMs() > 0 ? "micro-batching within " + config.batchWindowMs() + " ms, up to " + config.maxBatch()
                : "no micro-batching");
        return "serving " + classifier.name() + " on " + url() + " (" + String.join(", ", parts) + ")";
    }
}
