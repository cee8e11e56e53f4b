package d2l4j.kernels;

import d2l4j.tensor.Backend;
import d2l4j.tensor.BackendProvider;

/**
 * The CPU as a provider like any other: {@code cpu} (the fastest kernels this JVM can run) and
 * {@code cpu:reference} (the plain-Java reference loops), for {@link d2l4j.tensor.Backends#open}.
 */
public final class CpuProvider implements BackendProvider {
    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public Backend open(String variant, int threads) {
        return switch (variant) {
            case "" -> new CpuBackend(CpuKernels.best(), threads);
            case "reference" -> new CpuBackend(CpuKernels.reference(), threads);
            default -> throw new IllegalArgumentException("unknown CPU variant " + d2l4j.tensor.io.Json.quote(variant)
                    + ": expected cpu or cpu:reference");
        };
    }
}
