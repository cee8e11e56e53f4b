package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import d2l4j.tensor.Backend;
import d2l4j.tensor.ConvGeometry;
import d2l4j.testkit.BackendContract;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Backend contract on the CPU with the Vector API kernels on two threads (the batch split over them), and
 * a check that its convolution cases take every path of {@link ConvPath} in every direction, so the suite
 * reaches each algorithm.
 */
class VectorBackendContractTest extends BackendContract {
    private static final Backend BACKEND = new CpuBackend(CpuKernels.vector(), 2);

    @Override
    protected Backend backend() {
        return BACKEND;
    }

    @Test
    void theConvolutionCasesReachEveryPathInEveryDirection() {
        Set<String> reached = new TreeSet<>();
        for (ConvGeometry g : convCases()) {
            for (ConvPath.Direction d : ConvPath.Direction.values()) reached.add(d + " " + ConvPath.choose(d, g, 2));
        }
        Set<String> all = new TreeSet<>();
        for (ConvPath.Direction d : ConvPath.Direction.values()) {
            for (ConvPath p : EnumSet.allOf(ConvPath.class)) all.add(d + " " + p);
        }
        assertEquals(all, reached);
    }
}
