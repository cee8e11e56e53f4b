package d2l4j.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import d2l4j.testkit.TestBackends;

/** The OpenCL backend of {@link TestBackends} (PoCL in CI) as this package's type; tests skip with the reason when none opens. */
final class Device {
    private Device() {}

    static OpenClBackend get() {
        assumeTrue(TestBackends.openClOrNull() != null, "no OpenCL device: " + TestBackends.whyNoOpenCl());
        return (OpenClBackend) TestBackends.openClOrNull();
    }

    static ClContext context() {
        return get().context();
    }
}
