package d2l4j.zoo;

import d2l4j.tensor.Backend;
import d2l4j.tensor.BackendProvider;

/** The OpenCL backend for agreement tests when this machine has a device (PoCL in CI), else why not. */
final class OpenClDevice {
    static final Backend BACKEND;
    static final String WHY_NOT;

    static {
        Backend b = null;
        String why = null;
        BackendProvider p = BackendProvider.find("opencl");
        if (p == null) {
            why = "the kernels-opencl module is not on the test class path";
        } else {
            try {
                b = p.open(0);
            } catch (IllegalStateException | LinkageError e) {
                why = e.getMessage();
            }
        }
        BACKEND = b;
        WHY_NOT = why;
    }

    private OpenClDevice() {}
}
