package d2l4j.opencl;

import d2l4j.tensor.Storage;
import java.lang.ref.Cleaner;
import org.jocl.cl_mem;

/**
 * A tensor's elements in device memory, with a host copy made only when host code asks ({@link #host()}).
 * Two flags say which side holds the current values; kernels that write the buffer call
 * {@link #deviceWritten()}. The device buffer is released when the tensor becomes unreachable.
 */
final class ClStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ClContext cl;
    private final cl_mem mem;
    private final int length;
    private float[] host;
    private boolean hostCurrent, deviceCurrent;

    ClStorage(ClContext cl, int length) {
        this.cl = cl;
        this.length = length;
        this.mem = cl.allocate(length);
        this.deviceCurrent = true; // contents undefined until a kernel writes them
        CLEANER.register(this, () -> cl.release(mem, length));
    }

    /** A device copy of host values. */
    static ClStorage upload(ClContext cl, float[] values, int offset, int length) {
        ClStorage s = new ClStorage(cl, length);
        float[] src = offset == 0 && values.length == length ? values : java.util.Arrays.copyOfRange(values, offset, offset + length);
        cl.write(s.mem, src, length);
        return s;
    }

    ClContext context() {
        return cl;
    }

    /** The buffer with the current values (uploading the host copy if host code changed it). */
    cl_mem mem() {
        if (!deviceCurrent) {
            cl.write(mem, host, length);
            deviceCurrent = true;
        }
        return mem;
    }

    /** A kernel wrote the buffer: the host copy, if any, is stale. */
    void deviceWritten() {
        deviceCurrent = true;
        hostCurrent = false;
    }

    @Override
    public float[] host() {
        if (!hostCurrent) {
            if (host == null) host = new float[length];
            cl.read(mem, host, length);
            hostCurrent = true;
        }
        deviceCurrent = false; // the caller may write into the array
        return host;
    }

    @Override
    public int length() {
        return length;
    }
}
