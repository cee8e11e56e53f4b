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

    /** Number of float elements. */
    int length();

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
