package d2l4j.opencl;

import d2l4j.tensor.Backend;
import d2l4j.tensor.BackendProvider;

/** Registers the OpenCL backend under the device name {@code opencl} (--device opencl[:N]). */
public final class OpenClProvider implements BackendProvider {
    @Override
    public String device() {
        return "opencl";
    }

    @Override
    public Backend open(int index) {
        return OpenClBackend.open(index);
    }
}
