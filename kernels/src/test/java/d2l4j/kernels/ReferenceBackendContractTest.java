package d2l4j.kernels;

import d2l4j.tensor.Backend;
import d2l4j.testkit.BackendContract;

/** The Backend contract on the CPU with the plain-Java reference kernels, one thread. */
class ReferenceBackendContractTest extends BackendContract {
    private static final Backend BACKEND = new CpuBackend(CpuKernels.reference(), 1);

    @Override
    protected Backend backend() {
        return BACKEND;
    }
}
