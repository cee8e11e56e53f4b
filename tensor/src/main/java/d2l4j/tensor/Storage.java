package d2l4j.tensor;

/**
 * Where a tensor's elements live. On the CPU a plain float array ({@link #of}); a device backend (OpenCL)
 * keeps them in device memory and copies them to the host only when host code asks for them through
 * {@link #host()}: the data going in and the metrics coming out, as the training loop does.
 */
public interface Storage {

    /**
     * The elements in host memory. A device storage copies them back first (if the device holds the newer
     * values) and from then on treats the host array as the current one, since the caller may write to it.
     */
    float[] host();

    /**
     * The elements in host memory for reading only: a device storage copies them back when the host copy
     * is stale, but keeps its device buffer current (no upload follows, as one would after {@link #host}).
     */
    default float[] read() {
        return host();
    }

    /** Number of float elements. */
    int length();

    /**
     * Gives the memory back to its owner now (called by {@link Arena#close}); any later use of the tensor
     * is an error. Host arrays are left to the garbage collector.
     */
    default void release() {}

    static Storage of(float[] data) {
        return new HostStorage(data);
    }

    /** Plain host memory: the array itself. */
    record HostStorage(float[] host) implements Storage {
        @Override
        public int length() {
            return host.length;
        }
    }
}
