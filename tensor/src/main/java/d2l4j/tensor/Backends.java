package d2l4j.tensor;

import java.util.ServiceLoader;

/**
 * Which {@link Backend} tensors use. By default the first backend found through {@link ServiceLoader}
 * (the CPU backend of module kernels); {@link #use} switches, e.g. to set the thread count or a device.
 */
public final class Backends {
    private static volatile Backend current;

    private Backends() {}

    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                if (current == null) current = discover();
                b = current;
            }
        }
        return b;
    }

    /** Makes {@code backend} the one every tensor operation uses from now on; returns the previous one. */
    public static Backend use(Backend backend) {
        synchronized (Backends.class) {
            Backend old = current;
            current = backend;
            return old;
        }
    }

    private static Backend discover() {
        for (Backend b : ServiceLoader.load(Backend.class)) return b;
        throw new IllegalStateException("no d2l4j Backend found on the class path: add the d2l4j kernels jar "
                + "(module kernels), which provides the CPU backend");
    }
}
