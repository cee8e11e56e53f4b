package d2l4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import d2l4j.tensor.Backend;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.testkit.TestBackends;
import java.util.List;

/** Shared helpers for comparing with the PyTorch reference cases of src/reference. */
final class Reference {
    private Reference() {}

    /**
     * Both CPU paths (the plain-Java reference kernels on 1 thread, the best kernels on 2 threads) and the
     * OpenCL backend when the machine has a device (see {@link TestBackends}; its absence is reported as a skip).
     */
    static List<Backend> backends() {
        return TestBackends.all();
    }

    static Tensor tensor(SafeTensors f, String name) {
        return Tensor.of(f.f32(name), f.shape(name));
    }

    /**
     * Float32 agreement: every element within {@code rel · (1 + max|expected|)}. Scaling by the largest
     * magnitude (not each element's) is right for sums of many products, whose rounding error follows the
     * size of the terms, not of the result.
     */
    static void assertClose(String what, Tensor expected, Tensor actual, double rel) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray(), a = actual.toArray();
        double max = 0;
        for (float v : e) max = Math.max(max, Math.abs(v));
        double tol = rel * (1 + max);
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
