package d2l4j.zoo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.Backends;
import d2l4j.testkit.HashFill;
import d2l4j.zoo.LeNet;
import d2l4j.zoo.infer.Classifier;
import d2l4j.zoo.infer.Prediction;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server on loopback, in this JVM: answers equal to the Classifier's; every kind of bad input (an empty body,
 * 100 MB announced and 100 MB chunked, a corrupt PNG, a 10000×10000 image, a text file, JSON of the wrong length
 * or with a NaN, a slow client, too many connections) a 4xx or 503 with a JSON error naming the problem, after
 * which it still serves, with the heap where it was; micro-batching with the answers unchanged; and a short load
 * test (8 clients) without a failed request.
 */
class ServerTest {
    static Classifier classifier;
    static Server server;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static float[] image;

    @BeforeAll
    static void start() throws Exception {
        Backends.use(Backends.open("cpu", 2));
        classifier = new Classifier("lenet", LeNet.create(3), 28);
        var d = Server.Config.defaults();
        server = Server.start(classifier, new Server.Config("127.0.0.1", 0, 2, 16, 4, 1 << 20, d.maxPixels(),
                Duration.ofSeconds(2), 0, 32));
        image = HashFill.uniform(5, 784, 1f);
        for (int i = 0; i < image.length; i++) image[i] = Math.abs(image[i]);
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(2));
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
    }

    static HttpResponse<String> post(String type, byte[] body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(server.url() + "/predict")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) b.header("Content-Type", type);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String json(float[] pixels) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < pixels.length; i++) b.append(i == 0 ? "" : ",").append(pixels[i]);
        return b.append(']').toString();
    }

    static byte[] png(float[] pixels, int side) throws Exception {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < side * side; i++) img.getRaster().setSample(i % side, i / side, 0, Math.round(pixels[i] * 255));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    // the top class and its probability as the server writes them
    static String topOf(Prediction p) {
        return "{\"class\":" + p.top() + ",\"label\":\"" + p.topLabel() + "\",\"probability\":" + p.probabilities()[p.top()] + "}";
    }

    @Test
    void answersAreTheClassifiers() throws Exception {
        var r = post("application/json", json(image).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"top\":[" + topOf(classifier.classify(image))), r.body());
        byte[] png = png(image, 28);
        float[] back = Classifier.grayscale(ImageIO.read(new java.io.ByteArrayInputStream(png)), 28);
        r = post("image/png", png);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"top\":[" + topOf(classifier.classify(back))), r.body());
        r = post(null, png); // no Content-Type: taken as an image file
        assertEquals(200, r.statusCode(), r.body());
        var health = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        var metrics = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("d2l4j_requests_total{path=\"/predict\",code=\"200\"}")
                && metrics.body().contains("d2l4j_predict_seconds_bucket{le=\"+Inf\"}")
                && metrics.body().contains("d2l4j_batch_size_count"), metrics.body());
    }

    @Test
    void badInputGetsA4xxAndTheServerGoesOn() throws Exception {
        long before = usedHeap();
        expect(post("image/png", new byte[0]), 400, "empty", "the body is empty");
        // 100 MB announced (a client that waits, as with Expect: 100-continue): refused from the header alone
        expect(raw("POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: image/png\r\nContent-Length: 104857600\r\n"
                + "Expect: 100-continue\r\n\r\n", 0, false),
                413, "too_large", "the body is 104857600 bytes; at most 1048576 are read");
        // 100 MB chunked, without a length: refused once it passes the limit, read while sending
        expect(raw("POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n", 100 << 20, true),
                413, "too_large", "passed 1048576 bytes");
        byte[] png = png(image, 28);
        expect(post("image/png", java.util.Arrays.copyOf(png, png.length / 2)), 400, "bad_image", "corrupt or truncated image");
        expect(post("image/png", d2l4j.zoo.TestImages.pngHeader(10000, 10000)), 400, "bad_image", "10000x10000 pixels, more than the 4194304");
        expect(post("text/plain", "just some text\n".getBytes(StandardCharsets.UTF_8)), 415, "unsupported_type", "text/plain");
        expect(post("application/octet-stream", "just some text\n".getBytes(StandardCharsets.UTF_8)), 400, "bad_image",
                "not an image this JVM can read");
        expect(post("application/json", "[0.5, 0.25]".getBytes(StandardCharsets.UTF_8)), 400, "bad_json",
                "expects 1 image of 1x28x28 (784 floats), got 2 floats");
        String nan = json(image).replaceFirst("\\[[^,]*,", "[NaN,");
        expect(post("application/json", nan.getBytes(StandardCharsets.UTF_8)), 400, "bad_json", "expected a number");
        expect(post("application/json", json(image).replace("]", ", 2.5]").getBytes(StandardCharsets.UTF_8)), 400, "bad_json",
                "more than 784 numbers");
        expect(slowClient(), 408, "timeout", "took more than 2000 ms");
        // as many slow uploads as the connection limit (4), then one more: 503 with Retry-After, at once
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) held.add(startUpload());
        Thread.sleep(300);
        var busy = post("image/png", png);
        expect(busy, 503, "busy", "too many requests at once");
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
        for (Socket s : held) s.close();
        Thread.sleep(2500); // the held uploads time out
        assertEquals(200, post("image/png", png).statusCode(), "still serving");
        long after = usedHeap();
        assertTrue(after - before < 24L << 20, "heap after the bad input: " + (after - before) / 1024 + " KiB more than before");
    }

    @Test
    void microBatchesGiveTheSameAnswers() throws Exception {
        var d = Server.Config.defaults();
        Server batching = Server.start(classifier, new Server.Config("127.0.0.1", 0, 2, 16, 64, 1 << 20, d.maxPixels(),
                Duration.ofSeconds(5), 60, 8));
        try {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> answers = new ArrayList<>();
            float[][] images = new float[8][];
            for (int i = 0; i < 8; i++) {
                images[i] = HashFill.uniform(100 + i, 784, 1f);
                for (int j = 0; j < 784; j++) images[i][j] = Math.abs(images[i][j]);
                byte[] body = json(images[i]).getBytes(StandardCharsets.UTF_8);
                answers.add(pool.submit(() -> HTTP.send(HttpRequest.newBuilder(URI.create(batching.url() + "/predict?top=10"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString()).body()));
            }
            int batched = 0;
            for (int i = 0; i < 8; i++) {
                String a = answers.get(i).get();
                assertTrue(a.contains("\"top\":[" + topOf(classifier.classify(images[i]))), a);
                if (!a.endsWith("\"batch\":1}")) batched++;
            }
            pool.shutdown();
            assertTrue(batched > 0, "some requests shared a forward pass");
        } finally {
            batching.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void eightClientsWithoutAFailure() throws Exception {
        Server plain = Server.start(classifier, Server.Config.defaults().withPort(0)); // the command line's defaults
        try {
            LoadClient.Result r = LoadClient.run(URI.create(plain.url() + "/predict"), "image/png", png(image, 28), 8, Duration.ofSeconds(4));
            System.out.println("load test (8 clients, 4 s, LeNet, loopback): " + r);
            assertEquals(0, r.failed(), r.toString());
            assertTrue(r.ok() > 50, r.toString());
        } finally {
            plain.stop(Duration.ofSeconds(2));
        }
    }

    // ---- helpers ----

    static void expect(HttpResponse<String> r, int status, String kind, String text) {
        expect(r.statusCode(), r.body(), status, kind, text);
    }

    static void expect(String[] raw, int status, String kind, String text) {
        expect(Integer.parseInt(raw[0]), raw[1], status, kind, text);
    }

    static void expect(int code, String body, int status, String kind, String text) {
        assertEquals(status, code, body);
        assertTrue(body.startsWith("{\"error\":") && body.contains("\"kind\":\"" + kind + "\"") && body.contains(text), body);
    }

    /** Sends {@code head}, then up to {@code bodyBytes} of body (chunked or not) on another thread while it reads the answer. */
    static String[] raw(String head, long bodyBytes, boolean chunked) throws Exception {
        URI u = URI.create(server.url());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread sender = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 << 10];
                try {
                    for (long sent = 0; sent < bodyBytes; sent += chunk.length) {
                        if (chunked) out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        if (chunked) out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (java.io.IOException closed) {
                    // the server answered and closed while we were still sending
                }
            });
            String[] r = response(s.getInputStream());
            s.close();
            sender.join(5000);
            return r;
        }
    }

    // a body of 1000 bytes announced, sent one byte every 250 ms (on another thread, while the answer is read)
    static String[] slowClient() throws Exception {
        URI u = URI.create(server.url());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        out.write(0);
                        out.flush();
                        Thread.sleep(250);
                    }
                } catch (java.io.IOException | InterruptedException closed) {
                    // answered and closed
                }
            });
            String[] r = response(s.getInputStream());
            s.close();
            sender.interrupt();
            return r;
        }
    }

    // headers and 10 bytes of a 1000-byte body: holds a connection permit until it times out or is closed
    static Socket startUpload() throws Exception {
        URI u = URI.create(server.url());
        Socket s = new Socket(u.getHost(), u.getPort());
        s.getOutputStream().write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n"
                + "0123456789").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    static String[] response(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) got.write(buf, 0, n);
        } catch (java.net.SocketException reset) {
            // the server closed with our body unread: what came before the reset is the answer
        }
        String all = got.toString(StandardCharsets.UTF_8);
        while (all.startsWith("HTTP/1.1 1")) all = all.substring(all.indexOf("\r\n\r\n") + 4); // 100 Continue
        int sp = all.indexOf(' ');
        String status = all.substring(sp + 1, sp + 4);
        int start = all.indexOf("\r\n\r\n");
        return new String[] {status, start < 0 ? "" : all.substring(start + 4).strip()};
    }

    static long usedHeap() throws Exception {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
