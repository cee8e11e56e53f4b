package d2l4j.bench;

import d2l4j.tensor.Backends;
import d2l4j.zoo.Recipe;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A CPU training step with fresh arrays (no Arena: every tensor a new array, zeroed by the JVM) against the same
 * step as the training loop runs it (in an Arena: the backend's arrays reused from step to step), alternating,
 * with the bytes the JVM allocated per step (all threads):
 * {@code java ... d2l4j.bench.StepMemory <net> [batch] [threads] [seconds per round]}.
 */
public final class StepMemory {
    private StepMemory() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Recipe r = Recipe.of(args.length > 0 ? args[0] : "lenet");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : r.batchSize();
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long nanos = (long) ((args.length > 3 ? Double.parseDouble(args[3]) : 3) * 1e9);
        Backends.use(Backends.open("cpu", threads));
        TrainStep step = new TrainStep(r.create(0), batch, r.input(), r.lr());
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 4; round++) { // round 0 warms up both
            for (int arena = 0; arena < 2; arena++) {
                long end = System.nanoTime() + nanos, b0 = mx.getTotalThreadAllocatedBytes(), t0 = System.nanoTime();
                int n = 0;
                while (System.nanoTime() < end) {
                    if (arena == 0) step.run();
                    else step.runResident();
                    n++;
                }
                long t1 = System.nanoTime(), b1 = mx.getTotalThreadAllocatedBytes();
                if (round > 0) {
                    System.out.printf("%s batch %d, %d threads, %s: %.2f ms/step, %.1f MB allocated/step%n", r.name(), batch,
                            threads, arena == 0 ? "fresh arrays" : "in an arena ", (t1 - t0) / 1e6 / n, (b1 - b0) / 1e6 / n);
                }
            }
        }
    }
}
