package d2l4j.zoo;

import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;

/** The OpenCL backend for agreement tests when this machine has a device (PoCL in CI), else why not. */
final class OpenClDevice {
    static final Backend BACKEND;
    static final String WHY_NOT;

    static {
        Backend b = null;
        String why = null;
        try {
            b = Backends.open("opencl", 1);
        } catch (IllegalArgumentException | LinkageError e) {
            why = e.getMessage();
        }
        BACKEND = b;
        WHY_NOT = why;
    }

    private OpenClDevice() {}
}
