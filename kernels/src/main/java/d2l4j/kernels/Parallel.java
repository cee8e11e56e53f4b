package d2l4j.kernels;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads with a STATIC split of work: {@code run(parts, f)} gives thread t
 * the contiguous range of parts {@code [chunkStart(parts, T, t), chunkStart(parts, T, t + 1))}, the
 * calling thread being thread 0. Nothing depends on timing (no work stealing), so a kernel that
 * writes each output from exactly one part gives bit-identical results run to run.
 *
 * <p>Pools are shared per thread count ({@link #of}); workers are daemon threads named
 * {@code d2l4j-worker-i}. A {@code run} issued from inside a part (nested) runs inline on the
 * calling thread, which gives the same results since the parts do not depend on who runs them.
 */
public final class Parallel {

    private static final ConcurrentHashMap<Integer, Parallel> POOLS = new ConcurrentHashMap<>();

    private final int threads;
    private final SynchronousQueue<Runnable>[] inboxes; // one per worker thread 1..threads-1
    private final Thread[] workers;
    private final ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
    /** Set by {@link #inline}: every run() on this thread, of every pool, runs its parts itself. */
    private static final ThreadLocal<Boolean> INLINE = ThreadLocal.withInitial(() -> false);

    /** The shared pool for {@code threads} threads; {@code of(1)} runs everything inline. */
    public static Parallel of(int threads) {
        if (threads < 1) throw new IllegalArgumentException("expected threads >= 1, got " + threads);
        return POOLS.computeIfAbsent(threads, Parallel::new);
    }

    /** A pool with one thread per available processor. */
    public static Parallel ofAvailableProcessors() {
        return of(Runtime.getRuntime().availableProcessors());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Parallel(int threads) {
        this.threads = threads;
        this.inboxes = new SynchronousQueue[threads];
        this.workers = new Thread[threads];
        for (int t = 1; t < threads; t++) {
            SynchronousQueue<Runnable> inbox = new SynchronousQueue<>();
            inboxes[t] = inbox;
            Thread worker = new Thread(() -> {
                inside.set(true); // a nested run() from a worker runs inline
                workLoop(inbox);
            }, "d2l4j-worker-" + t);
            worker.setDaemon(true);
            workers[t] = worker;
            worker.start();
        }
    }

    private static void workLoop(SynchronousQueue<Runnable> inbox) {
        while (true) {
            try {
                inbox.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Runs {@code body} with every {@link #run} it makes on this thread done inline: the same parts, split as
     * for the pool's thread count, run one after another by the caller. The results are the same bits (the parts
     * do not depend on who runs them); what changes is that many callers at once each use their own core instead of
     * queueing for the pool, one run at a time (a service classifying small requests from many threads).
     */
    public static <T> T inline(java.util.function.Supplier<T> body) {
        if (INLINE.get()) return body.get();
        INLINE.set(true);
        try {
            return body.get();
        } finally {
            INLINE.set(false);
        }
    }

    public int threads() {
        return threads;
    }

    /** Start of chunk i when n items are split into parts contiguous chunks differing by at most 1. */
    public static int chunkStart(int n, int parts, int i) {
        return (int) ((long) n * i / parts);
    }

    /**
     * Runs {@code part.accept(0..parts-1)}, each exactly once, statically assigned to threads, and
     * waits for all of them. Rethrows the first exception (in part order) after all have finished.
     */
    public void run(int parts, IntConsumer part) {
        if (parts <= 0) return;
        if (threads == 1 || parts == 1 || inside.get() || INLINE.get()) {
            for (int i = 0; i < parts; i++) part.accept(i);
            return;
        }
        synchronized (this) { // one run at a time per pool
            runOnWorkers(parts, part);
        }
    }

    private void runOnWorkers(int parts, IntConsumer part) {
        int used = Math.min(threads, parts);
        Throwable[] failures = new Throwable[used];
        CountDownLatch done = new CountDownLatch(used - 1);
        for (int t = 1; t < used; t++) {
            int thread = t;
            Runnable task = () -> {
                try {
                    runRange(parts, used, thread, part, failures);
                } finally {
                    done.countDown();
                }
            };
            try {
                inboxes[t].put(task);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while handing out work", e);
            }
        }
        inside.set(true);
        try {
            runRange(parts, used, 0, part, failures);
        } finally {
            inside.set(false);
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for workers", e);
        }
        for (Throwable f : failures) {
            if (f instanceof RuntimeException r) throw r;
            if (f instanceof Error err) throw err;
            if (f != null) throw new RuntimeException(f);
        }
    }

    private void runRange(int parts, int used, int thread, IntConsumer part, Throwable[] failures) {
        int from = chunkStart(parts, used, thread), to = chunkStart(parts, used, thread + 1);
        try {
            for (int i = from; i < to; i++) part.accept(i);
        } catch (Throwable e) {
            failures[thread] = e;
        }
    }

    @Override
    public String toString() {
        return "Parallel[" + threads + " threads]";
    }
}
