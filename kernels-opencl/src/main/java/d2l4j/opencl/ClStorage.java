package d2l4j.opencl;

import d2l4j.tensor.Arena;
import d2l4j.tensor.Storage;
import java.lang.ref.Cleaner;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * A tensor's elements in device memory, with a host copy made only when host code asks ({@link #host()},
 * {@link #read()}). Two flags say which side holds the current values; kernels that write the buffer call
 * {@link #deviceWritten()}. The buffer comes from the context's {@link ClPool}: it goes back when the
 * thread's {@link Arena} closes (the end of a step), or, for a tensor made outside any arena, when the
 * tensor becomes unreachable. A released storage refuses to be used.
 */
final class ClStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ClContext cl;
    private final ClPool.Lease lease;
    private final int length;
    private float[] host;
    private boolean hostCurrent, deviceCurrent;

    ClStorage(ClContext cl, int length) {
        this.cl = cl;
        this.length = length;
        this.lease = cl.pool.acquire(Math.max(1, (long) length) * Sizeof.cl_float);
        this.deviceCurrent = true; // contents undefined until a kernel writes them
        ClPool.Lease l = lease;
        CLEANER.register(this, l::release);
        Arena.register(this);
    }

    /** A device copy of host values. */
    static ClStorage upload(ClContext cl, float[] values, int offset, int length) {
        ClStorage s = new ClStorage(cl, length);
        cl.write(s.lease.mem, values, offset, length);
        return s;
    }

    ClContext context() {
        return cl;
    }

    /** The buffer with the current values (uploading the host copy if host code may have changed it). */
    cl_mem mem() {
        checkLive();
        if (!deviceCurrent) {
            cl.write(lease.mem, host, 0, length);
            deviceCurrent = true;
        }
        return lease.mem;
    }

    /** A kernel wrote the buffer: the host copy, if any, is stale. */
    void deviceWritten() {
        deviceCurrent = true;
        hostCurrent = false;
    }

    @Override
    public float[] host() {
        float[] h = read();
        deviceCurrent = false; // the caller may write into the array: upload it before the next kernel
        return h;
    }

    @Override
    public float[] read() {
        checkLive();
        if (!hostCurrent) {
            if (host == null) host = new float[length];
            cl.read(lease.mem, host, length);
            hostCurrent = true;
        }
        return host;
    }

    @Override
    public void release() {
        lease.release();
    }

    private void checkLive() {
        if (lease.released()) {
            throw new IllegalStateException("this tensor's device buffer was handed back when the Arena it was made in "
                    + "closed (the end of its step): keep it with Arena.keep(t), or read it inside the arena");
        }
    }

    @Override
    public int length() {
        return length;
    }
}
