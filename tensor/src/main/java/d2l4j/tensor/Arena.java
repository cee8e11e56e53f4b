package d2l4j.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The lifetime of one step's tensors. A training step (forward, loss, backward, update) makes dozens of
 * intermediate tensors that are all dead when the step ends; a device backend registers the storage of
 * every tensor it allocates with the thread's open arena, and {@link #close} hands those buffers back to
 * the backend's pool at once, deterministically, instead of waiting for the garbage collector to find
 * them. The next step asks for the same sizes and gets the same buffers back: a steady step allocates
 * no device memory.
 *
 * <pre>{@code
 * try (Arena step = Arena.open()) {
 *     Variable loss = ce.forward(net.forward(x), labels);
 *     loss.backward();
 *     sgd.step();
 *     metrics.add(loss.data(), ...);  // accumulators made outside the arena survive it
 * }                                   // every tensor made inside is released here
 * }</pre>
 *
 * <p>A tensor that must outlive the step is {@link #keep kept} (it moves to the enclosing arena, or to
 * the garbage collector's care when there is none). Using a released tensor is an error that says so,
 * never a read of someone else's data. Arenas are per thread and nest; host tensors (the CPU backend's
 * arrays) are not registered today, so on the CPU an arena changes nothing.
 */
public final class Arena implements AutoCloseable {
    private static final ThreadLocal<Arena> CURRENT = new ThreadLocal<>();

    private final Arena parent;
    private final Thread owner = Thread.currentThread();
    private final List<Storage> owned = new ArrayList<>();
    private boolean closed;

    private Arena(Arena parent) {
        this.parent = parent;
    }

    /** Opens an arena on this thread (inside the current one, if any). */
    public static Arena open() {
        Arena a = new Arena(CURRENT.get());
        CURRENT.set(a);
        return a;
    }

    /** The innermost open arena of this thread, or null. */
    public static Arena current() {
        return CURRENT.get();
    }

    /** Called by a backend for each storage it allocates: released when the current arena closes. */
    public static void register(Storage s) {
        Arena a = CURRENT.get();
        if (a != null) a.owned.add(s);
    }

    /** Lets {@code t} outlive this arena: it moves to the enclosing arena, or is left to the collector. */
    public Tensor keep(Tensor t) {
        Storage s = t.storage();
        if (owned.remove(s) && parent != null) parent.owned.add(s);
        return t;
    }

    /** Number of storages this arena will release (for tests and statistics). */
    public int size() {
        return owned.size();
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) throw new IllegalStateException("an Arena must be closed by the thread that opened it");
        if (CURRENT.get() != this) throw new IllegalStateException("Arenas must be closed innermost first");
        closed = true;
        CURRENT.set(parent);
        for (Storage s : owned) s.release();
        owned.clear();
    }
}
