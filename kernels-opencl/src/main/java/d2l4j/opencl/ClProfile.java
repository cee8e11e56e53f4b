package d2l4j.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Where a step's device time goes, from OpenCL profiling events (queue created with profiling on, by
 * {@code D2L4J_OPENCL_PROFILE=1} or {@link OpenClBackend#open(int, boolean)}): per kernel name the
 * launches, the summed execution time (end − start of each event) and, where the launch said how many
 * floating-point operations it does, GFLOP/s. Events are resolved at the next wait, so profiling adds
 * no wait of its own.
 */
final class ClProfile {
    private record Pending(String kernel, double flops, cl_event event) {}

    private static final class Row {
        long launches;
        long nanos;
        double flops;
    }

    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Row> rows = new TreeMap<>();

    synchronized void add(String kernel, double flops, cl_event e) {
        pending.add(new Pending(kernel, flops, e));
    }

    /** Reads the times of finished events (called after a wait: all of them are finished). */
    synchronized void resolve() {
        long[] t0 = new long[1], t1 = new long[1];
        for (Pending p : pending) {
            clGetEventProfilingInfo(p.event, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(t0), null);
            clGetEventProfilingInfo(p.event, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(t1), null);
            clReleaseEvent(p.event);
            Row r = rows.computeIfAbsent(p.kernel, k -> new Row());
            r.launches++;
            r.nanos += t1[0] - t0[0];
            r.flops += p.flops;
        }
        pending.clear();
    }

    synchronized void reset() {
        rows.clear();
    }

    /** The table, slowest kernel first. */
    synchronized String table() {
        List<Map.Entry<String, Row>> es = new ArrayList<>(rows.entrySet());
        es.sort((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos));
        long total = 0;
        for (var e : es) total += e.getValue().nanos;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %9s %11s %6s %10s%n", "kernel", "launches", "total ms", "%", "GFLOP/s"));
        for (var e : es) {
            Row r = e.getValue();
            sb.append(String.format(Locale.ROOT, "%-28s %9d %11.3f %6.1f %10s%n", e.getKey(), r.launches, r.nanos / 1e6,
                    total == 0 ? 0 : 100.0 * r.nanos / total, r.flops > 0 && r.nanos > 0 ? String.format(Locale.ROOT, "%.1f", r.flops / r.nanos) : "-"));
        }
        sb.append(String.format(Locale.ROOT, "%-28s %9s %11.3f%n", "all kernels", "", total / 1e6));
        return sb.toString();
    }
}
