package d2l4j.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The first OpenCL device for these tests (PoCL in CI), opened once; tests skip with the reason when none opens. */
final class Device {
    private static OpenClBackend backend;
    private static String whyNot;

    static {
        try {
            backend = OpenClBackend.open(0);
        } catch (IllegalStateException | LinkageError e) {
            whyNot = e.getMessage();
        }
    }

    private Device() {}

    static OpenClBackend get() {
        assumeTrue(backend != null, "no OpenCL device: " + whyNot);
        return backend;
    }

    static ClContext context() {
        return get().context();
    }
}
