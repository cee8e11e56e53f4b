package d2l4j.zoo.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load test for {@code d2l4j serve}: {@code clients} threads each POST the same body, one request after another,
 * for {@code duration}; reports the requests answered 200, the others (failures), p50 and p99 latency and
 * requests per second.
 * <pre>
 * java -cp dist/target/d2l4j.jar d2l4j.zoo.serve.LoadClient http://127.0.0.1:8080/predict image.png 8 30
 * </pre>
 */
public final class LoadClient {
    private LoadClient() {}

    /** What a run gave: latencies in milliseconds. */
    public record Result(long ok, long failed, double p50ms, double p99ms, double perSecond, String firstFailure) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d ok, %d failed, p50 %.2f ms, p99 %.2f ms, %.0f requests/s%s", ok, failed, p50ms,
                    p99ms, perSecond, firstFailure == null ? "" : " (first failure: " + firstFailure + ")");
        }
    }

    public static Result run(URI url, String contentType, byte[] body, int clients, Duration duration) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
        List<List<Long>> latencies = new ArrayList<>();
        String[] firstFailure = new String[1];
        long end = System.nanoTime() + duration.toNanos(), start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            Thread t = new Thread(() -> {
                HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            mine.add(System.nanoTime() - t0);
                            continue;
                        }
                        note(firstFailure, r.statusCode() + " " + r.body());
                    } catch (Exception e) {
                        note(firstFailure, e.toString());
                    }
                    failed.incrementAndGet();
                }
            }, "load-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (List<Long> l : latencies) all.addAll(l);
        Collections.sort(all);
        return new Result(ok.get(), failed.get(), percentile(all, 0.50), percentile(all, 0.99), ok.get() / seconds, firstFailure[0]);
    }

    private static synchronized void note(String[] first, String what) {
        if (first[0] == null) first[0] = what;
    }

    private static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) return Double.NaN;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LoadClient URL BODY-FILE CLIENTS SECONDS   (BODY-FILE: an image, or a .json pixel array)");
            System.exit(2);
        }
        Path body = Path.of(args[1]);
        String type = body.toString().endsWith(".json") ? "application/json" : "application/octet-stream";
        Result r = run(URI.create(args[0]), type, Files.readAllBytes(body), Integer.parseInt(args[2]),
                Duration.ofSeconds(Long.parseLong(args[3])));
        System.out.println(args[2] + " clients, " + args[3] + " s: " + r);
        System.exit(r.failed() == 0 ? 0 : 1);
    }
}
