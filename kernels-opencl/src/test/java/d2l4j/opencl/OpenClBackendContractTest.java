package d2l4j.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import d2l4j.tensor.Backend;
import d2l4j.testkit.BackendContract;
import d2l4j.testkit.TestBackends;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Backend contract on OpenCL (PoCL on the CPU in CI): every .cl kernel on the suite's awkward shapes against
 * the same definitions the reference CPU kernels meet. Skipped, with the reason, where no OpenCL device opens.
 */
class OpenClBackendContractTest extends BackendContract {

    @BeforeAll
    static void needsADevice() {
        assumeTrue(TestBackends.openClOrNull() != null, "no OpenCL device: " + TestBackends.whyNoOpenCl());
    }

    @Override
    protected Backend backend() {
        return TestBackends.openClOrNull();
    }
}
