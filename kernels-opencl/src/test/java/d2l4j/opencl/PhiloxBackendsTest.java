package d2l4j.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import d2l4j.testkit.TestBackends;
import d2l4j.tensor.Backend;
import org.junit.jupiter.api.Test;

/** Dropout masks are the same bits on the reference CPU kernels, the Vector API ones and OpenCL (Philox). */
class PhiloxBackendsTest {
    @Test
    void theSameMasksOnEveryBackend() {
        OpenClBackend cl = Device.get();
        Backend ref = TestBackends.reference(), simd = TestBackends.fastest();
        int[][] shapes = {{1}, {3}, {128, 4096}, {2, 96, 27, 27}, {1000003}};
        for (int[] shape : shapes) {
            for (float p : new float[] {0.5f, 0.1f, 0f}) {
                long seed = shape.length * 7919L - 3;
                float[] want = ref.dropoutMask(shape, p, seed, 2, 5, "net.4".hashCode()).toArray();
                assertArrayEquals(want, simd.dropoutMask(shape, p, seed, 2, 5, "net.4".hashCode()).toArray());
                assertArrayEquals(want, cl.dropoutMask(shape, p, seed, 2, 5, "net.4".hashCode()).toArray());
            }
        }
    }
}
