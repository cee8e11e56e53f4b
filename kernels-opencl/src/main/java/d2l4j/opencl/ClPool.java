package d2l4j.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jocl.CLException;
import org.jocl.cl_mem;

/**
 * Device memory, reused. A buffer given back ({@link Lease#release}) goes on a free list of its size
 * class (bytes rounded up to 256), and the next request of that class takes it instead of asking the
 * driver: a training step asks for the same sizes as the step before, so after the first step nothing
 * is allocated. Buffers are given back deterministically when the step's {@code Arena} closes; tensors
 * made outside any arena (parameters) give theirs back when they become unreachable. When the driver
 * refuses a buffer, the free lists are emptied and the request tried once more; then the error says how
 * much was asked, how much d2l4j holds and the device's total.
 */
final class ClPool {
    private static final long CLASS = 256;

    private final ClContext cl;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long inUseBytes, pooledBytes;
    long allocations, allocatedBytes; // driver allocations ever made (the counters)

    ClPool(ClContext cl) {
        this.cl = cl;
    }

    /** One use of a buffer; releasing it twice (an arena, then a cleaner) gives it back once. */
    final class Lease {
        final cl_mem mem;
        final long bytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(cl_mem mem, long bytes) {
            this.mem = mem;
            this.bytes = bytes;
        }

        boolean released() {
            return released.get();
        }

        void release() {
            if (released.compareAndSet(false, true)) giveBack(this);
        }
    }

    static long sizeClass(long bytes) {
        return Math.max(CLASS, (bytes + CLASS - 1) / CLASS * CLASS);
    }

    synchronized Lease acquire(long bytes) {
        long size = sizeClass(bytes);
        ArrayDeque<cl_mem> list = free.get(size);
        cl_mem m = list == null ? null : list.poll();
        if (m != null) {
            pooledBytes -= size;
        } else {
            m = allocate(size);
        }
        inUseBytes += size;
        return new Lease(m, size);
    }

    private synchronized void giveBack(Lease l) {
        inUseBytes -= l.bytes;
        pooledBytes += l.bytes;
        free.computeIfAbsent(l.bytes, k -> new ArrayDeque<>()).push(l.mem);
    }

    private cl_mem allocate(long size) {
        try {
            return create(size);
        } catch (CLException first) {
            trim();
            System.gc(); // tensors left to the collector give their buffers back through their cleaners
            try {
                Thread.sleep(50);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            trim();
            try {
                return create(size);
            } catch (CLException e) {
                throw new IllegalStateException(String.format("OpenCL device out of memory on %s: asked for %.1f MiB; "
                        + "d2l4j holds %.1f MiB in use of the device's %.1f MiB (%s)", cl.description, size / 1048576.0,
                        inUseBytes / 1048576.0, cl.globalMemBytes / 1048576.0, e.getMessage()), e);
            }
        }
    }

    private cl_mem create(long size) {
        cl_mem m = clCreateBuffer(cl.context, CL_MEM_READ_WRITE, size, null, null);
        allocations++;
        allocatedBytes += size;
        return m;
    }

    /** Returns every pooled buffer to the driver. */
    synchronized void trim() {
        for (ArrayDeque<cl_mem> list : free.values()) for (cl_mem m : list) clReleaseMemObject(m);
        free.clear();
        pooledBytes = 0;
    }

    synchronized long inUseBytes() {
        return inUseBytes;
    }

    synchronized long pooledBytes() {
        return pooledBytes;
    }
}
