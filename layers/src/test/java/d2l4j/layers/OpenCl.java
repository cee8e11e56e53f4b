package d2l4j.layers;

import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;

/**
 * The OpenCL backend for the agreement tests, when this machine has an OpenCL device (PoCL in CI);
 * otherwise null and {@link #reason} says what is missing, for the test that reports the skip.
 */
public final class OpenCl {
    private static Backend backend;
    private static String reason;

    static {
        try {
            backend = Backends.open("opencl", 1);
        } catch (IllegalArgumentException | LinkageError e) {
            reason = e.getMessage();
        }
    }

    private OpenCl() {}

    public static Backend backendOrNull() {
        return backend;
    }

    public static String whyNot() {
        return reason;
    }
}
