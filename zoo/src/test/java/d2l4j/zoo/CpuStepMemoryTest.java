package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.autograd.Variable;
import d2l4j.layers.CrossEntropyLoss;
import d2l4j.layers.Layer;
import d2l4j.layers.Sgd;
import d2l4j.tensor.Arena;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.DeviceCounters;
import d2l4j.tensor.Tensor;
import d2l4j.testkit.TestBackends;
import d2l4j.zoo.data.DataFolder;
import d2l4j.zoo.data.FashionMnist;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend reuses a step's arrays (issue 12, on the Arena of issue 10): after a warm-up step a training step
 * takes every tensor the backend makes from its pool (no new arrays, nothing for the JVM to zero); the weights are
 * the same bits as when every tensor is a fresh array (no arena); a tensor used after its step says so.
 */
class CpuStepMemoryTest {
    private static FashionMnist set;

    @AfterAll
    static void restore() {
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
    }

    private static FashionMnist data() {
        if (set == null) set = FashionMnist.load(DataFolder.resolve(null), true);
        return set;
    }

    /** Runs {@code steps} SGD steps of a fresh net on one batch, each in an arena or not; returns the weights and, per step, the pool's allocations. */
    private static Object[] train(Supplier<Layer> make, int batch, int side, int steps, boolean arenas) {
        Backend cpu = TestBackends.fastest();
        Backends.use(cpu);
        byte[] pixels = Arrays.copyOf(data().pixels(), batch * FashionMnist.PIXELS);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = data().labels()[i];
        Layer net = make.get();
        Sgd sgd = new Sgd(net.parameters(), 0.01f);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        long[] allocations = new long[steps];
        for (int s = 0; s < steps; s++) {
            DeviceCounters before = cpu.counters();
            Arena a = arenas ? Arena.open() : null;
            try {
                Variable l = loss.forward(net.forward(new Variable(cpu.images(pixels, 0, batch, FashionMnist.ROWS, side))),
                        cpu.labels(labels, batch));
                sgd.zeroGrad();
                l.backward();
                sgd.step();
            } finally {
                if (a != null) a.close();
            }
            allocations[s] = cpu.counters().minus(before).allocations();
        }
        float[] all = net.parameters().stream().map(p -> p.data().toArray())
                .reduce(new float[0], (x, y) -> { float[] r = Arrays.copyOf(x, x.length + y.length); System.arraycopy(y, 0, r, x.length, y.length); return r; });
        return new Object[] {all, allocations};
    }

    private static void steadyAndSameBits(Supplier<Layer> make, int batch, int side) {
        Object[] pooled = train(make, batch, side, 3, true), fresh = train(make, batch, side, 3, false);
        long[] alloc = (long[]) pooled[1];
        assertTrue(alloc[0] > 0, "the first step fills the pool: " + Arrays.toString(alloc));
        assertEquals(0, alloc[1], "arrays made in a steady step: " + Arrays.toString(alloc));
        assertEquals(0, alloc[2], "arrays made in a steady step: " + Arrays.toString(alloc));
        assertArrayEquals((float[]) fresh[0], (float[]) pooled[0], "weights with pooled arrays = with fresh ones");
    }

    @Test
    void lenetReusesItsArrays() {
        steadyAndSameBits(() -> LeNet.create(0), 256, 28);
    }

    @Test
    void alexnetAndGooglenetReuseTheirArrays() {
        steadyAndSameBits(() -> AlexNet.create(0), 2, 224);
        steadyAndSameBits(() -> GoogLeNet.create(0), 2, 96);
    }

    @Test
    void aTensorUsedAfterItsStepSaysSo() {
        Backend cpu = TestBackends.fastest();
        Tensor t;
        try (Arena a = Arena.open()) {
            t = cpu.relu(Tensor.of(new float[] {-1, 2}, 2));
            assertArrayEquals(new float[] {0, 2}, t.toArray());
        }
        var e = assertThrows(IllegalStateException.class, t::toArray);
        assertTrue(e.getMessage().contains("Arena.keep"), e.getMessage());
        Tensor kept;
        try (Arena a = Arena.open()) {
            kept = a.keep(cpu.relu(Tensor.of(new float[] {3, -4}, 2)));
        }
        assertArrayEquals(new float[] {3, 0}, kept.toArray(), "a kept tensor outlives its arena");
    }
}
