package d2l4j.tensor;

/**
 * How the command line and embedders find optional devices without depending on them: a jar that brings
 * a backend (kernels-opencl) registers a provider under this interface for {@link java.util.ServiceLoader}.
 */
public interface BackendProvider {

    /** The device name users type, e.g. {@code opencl}. */
    String device();

    /**
     * Opens device number {@code index} (as in {@code --device opencl:1}), or throws an
     * {@link IllegalStateException} that names what is missing (the ICD loader, a platform, a device).
     */
    Backend open(int index);

    /** Finds the provider for {@code device} on the class path, or null. */
    static BackendProvider find(String device) {
        for (BackendProvider p : java.util.ServiceLoader.load(BackendProvider.class)) {
            if (p.device().equalsIgnoreCase(device)) return p;
        }
        return null;
    }
}
