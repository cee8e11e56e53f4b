package d2l4j.kernels;

import d2l4j.tensor.Arena;
import d2l4j.tensor.Storage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU backend's arrays for tensors made inside an {@link Arena} (a training step, an evaluation batch, a
 * Classifier pass): when the arena closes they come back here, and the next step, which asks for the same sizes,
 * gets the same arrays back. A steady training step then allocates no tensor memory and the JVM zeroes nothing on
 * its behalf, the mechanism the OpenCL backend uses for device buffers (one design for both). Outside an arena
 * tensors are plain arrays left to the garbage collector, as before.
 *
 * <p>Free lists are kept per exact length (a step asks for the same few dozen sizes every time; kernels check that
 * arrays have exactly their tensor's size). What the pool holds is at most what the busiest step held at once, as
 * without the pool. Safe for several threads: each has its own arenas, the lists are shared under a lock.
 */
final class HostPool {
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong allocations = new java.util.concurrent.atomic.AtomicLong(),
            allocatedBytes = new java.util.concurrent.atomic.AtomicLong();

    /** Arrays made because the pool had none of the size (inside arenas; outside, tensors are not counted). */
    long allocations() {
        return allocations.get();
    }

    long allocatedBytes() {
        return allocatedBytes.get();
    }

    /**
     * A storage of {@code length} floats registered with the current arena (its values are whatever the last user
     * left: the caller overwrites them, or asks for {@code zeroed}), or a fresh zeroed array when no arena is open.
     */
    Storage take(int length, boolean zeroed) {
        if (Arena.current() == null) return Storage.of(new float[length]);
        float[] a;
        synchronized (free) {
            ArrayDeque<float[]> list = free.get(length);
            a = list == null ? null : list.poll();
        }
        if (a == null) {
            a = new float[length];
            allocations.incrementAndGet();
            allocatedBytes.addAndGet(4L * length);
        } else if (zeroed) {
            java.util.Arrays.fill(a, 0f);
        }
        Pooled s = new Pooled(a);
        Arena.register(s);
        return s;
    }

    private void giveBack(float[] a) {
        synchronized (free) {
            free.computeIfAbsent(a.length, n -> new ArrayDeque<>()).push(a);
        }
    }

    /** A host array on loan from the pool until its arena closes; refuses to be used after that. */
    private final class Pooled implements Storage {
        private float[] data;
        private final int length;

        Pooled(float[] data) {
            this.data = data;
            this.length = data.length;
        }

        @Override
        public float[] host() {
            float[] d = data;
            if (d == null) {
                throw new IllegalStateException("this tensor's array went back to the CPU backend's pool when the Arena it "
                        + "was made in closed (the end of its step): keep it with Arena.keep(t), or read it inside the arena");
            }
            return d;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void release() {
            float[] d = data;
            data = null;
            if (d != null) giveBack(d);
        }
    }
}
