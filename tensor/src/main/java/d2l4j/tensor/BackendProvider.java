package d2l4j.tensor;

/**
 * How a backend is found without its callers depending on it: a jar that brings one (kernels for the CPU,
 * kernels-opencl for OpenCL) registers a provider under this interface for {@link java.util.ServiceLoader},
 * and {@link Backends#open} picks it by its device name.
 */
public interface BackendProvider {

    /** The device name users type before any colon, e.g. {@code cpu} or {@code opencl}. */
    String device();

    /**
     * Opens the backend for {@code variant}, what followed the colon ("" when none: {@code opencl:1} gives
     * "1", {@code cpu:reference} gives "reference"), with {@code threads} worker threads where the backend
     * computes on the CPU. Throws an {@link IllegalStateException} that names what is missing (the ICD loader,
     * a platform, a device) or an {@link IllegalArgumentException} for a variant it does not know.
     */
    Backend open(String variant, int threads);
}
