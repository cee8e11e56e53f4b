package d2l4j.zoo.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The server's counters in Prometheus' text exposition format (version 0.0.4): requests by path and status,
 * errors by kind, a latency histogram of /predict and a histogram of the batch sizes its forward passes ran.
 */
final class Metrics {
    /** Upper bounds of the latency buckets, seconds. */
    private static final double[] LATENCY = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Upper bounds of the batch-size buckets. */
    private static final double[] BATCH = {1, 2, 4, 8, 16, 32, 64};

    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Histogram latency = new Histogram(LATENCY), batches = new Histogram(BATCH);
    final AtomicLong inFlight = new AtomicLong();

    void request(String path, int status) {
        requests.computeIfAbsent("path=\"" + path + "\",code=\"" + status + "\"", k -> new AtomicLong()).incrementAndGet();
    }

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    void latency(double seconds) {
        latency.observe(seconds);
    }

    void batch(int size) {
        batches.observe(size);
    }

    String render() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP d2l4j_requests_total HTTP requests by path and status code.\n# TYPE d2l4j_requests_total counter\n");
        for (var e : new TreeMap<>(requests).entrySet()) {
            b.append("d2l4j_requests_total{").append(e.getKey()).append("} ").append(e.getValue().get()).append('\n');
        }
        b.append("# HELP d2l4j_errors_total Refused or failed requests by kind.\n# TYPE d2l4j_errors_total counter\n");
        for (var e : new TreeMap<>(errors).entrySet()) {
            b.append("d2l4j_errors_total{kind=\"").append(e.getKey()).append("\"} ").append(e.getValue().get()).append('\n');
        }
        b.append("# HELP d2l4j_in_flight_requests Requests being handled now.\n# TYPE d2l4j_in_flight_requests gauge\n")
                .append("d2l4j_in_flight_requests ").append(inFlight.get()).append('\n');
        latency.render(b, "d2l4j_predict_seconds", "Time from a /predict request's arrival to its answer.");
        batches.render(b, "d2l4j_batch_size", "Images per forward pass.");
        return b.toString();
    }

    /** A cumulative histogram: counts per bucket, the sum and the count. */
    private static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;
        private final AtomicLong count = new AtomicLong(), sumMicros = new AtomicLong();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new AtomicLongArray(bounds.length);
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts.incrementAndGet(i);
                    break;
                }
            }
            count.incrementAndGet();
            sumMicros.addAndGet(Math.round(v * 1e6));
        }

        void render(StringBuilder b, String name, String help) {
            b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts.get(i);
                b.append(name).append("_bucket{le=\"").append(format(bounds[i])).append("\"} ").append(cumulative).append('\n');
            }
            b.append(name).append("_bucket{le=\"+Inf\"} ").append(count.get()).append('\n');
            b.append(name).append("_sum ").append(String.format(Locale.ROOT, "%.6f", sumMicros.get() / 1e6)).append('\n');
            b.append(name).append("_count ").append(count.get()).append('\n');
        }

        private static String format(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
