package d2l4j.layers;

import java.util.function.Supplier;

/**
 * Counts the forward floating-point operations of Conv2d and Linear layers while a computation runs (a
 * multiply-add counts as 2; pooling, activations and bias additions are not counted, as is usual when
 * quoting a network's FLOPs). Per thread; used by the summary command.
 */
public final class FlopCounter {
    private static final ThreadLocal<long[]> ACTIVE = new ThreadLocal<>();

    private FlopCounter() {}

    /** Runs {@code body} and returns its result together with the FLOPs it spent. */
    public static <T> Counted<T> count(Supplier<T> body) {
        long[] previous = ACTIVE.get();
        long[] counter = new long[1];
        ACTIVE.set(counter);
        try {
            T result = body.get();
            return new Counted<>(result, counter[0]);
        } finally {
            ACTIVE.set(previous);
        }
    }

    static void add(long flops) {
        long[] c = ACTIVE.get();
        if (c != null) c[0] += flops;
    }

    public record Counted<T>(T result, long flops) {}
}
