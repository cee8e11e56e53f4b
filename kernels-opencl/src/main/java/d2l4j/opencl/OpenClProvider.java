package d2l4j.opencl;

import d2l4j.tensor.Backend;
import d2l4j.tensor.BackendProvider;

/** Registers the OpenCL backend under the device name {@code opencl} (--device opencl[:N]). */
public final class OpenClProvider implements BackendProvider {
    @Override
    public String device() {
        return "opencl";
    }

    /** {@code variant}: the device number over all platforms, "" for 0; threads are not used. */
    @Override
    public Backend open(String variant, int threads) {
        if (!variant.matches("\\d{0,4}")) {
            throw new IllegalArgumentException("unknown OpenCL device " + d2l4j.tensor.io.Json.quote(variant)
                    + ": expected opencl or opencl:N");
        }
        return OpenClBackend.open(variant.isEmpty() ? 0 : Integer.parseInt(variant));
    }
}
