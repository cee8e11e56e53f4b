package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import d2l4j.kernels.CpuBackend;
import d2l4j.kernels.simd.Machine;
import d2l4j.layers.Layer;
import d2l4j.tensor.Backends;
import d2l4j.zoo.data.DataFolder;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The same weights on every machine: LeNet trained for 4 steps (batch 64, 2 threads, seed 7) on the Vector API
 * kernels hashes to the committed value under every variant of {@link Machine} (the zoo pom runs this test
 * again with -Dd2l4j.simd=avx512, avx2 and neon): the vector width and register tiles must not change the order
 * in which any result is summed. A change that breaks this fails here on any machine. (The hash was recorded on
 * the 2-core Intel Xeon, AVX-512, 2026-12-01, and must not be updated for a kernel change unless the change
 * is meant to change LeNet's bits, as the README's LeNet lines would then change too.)
 */
class LeNetAcrossMachinesTest {
    static final String EXPECTED = "e5051415b5b14bb0";

    @AfterAll
    static void restore() {
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void weightsHashTheSameUnderEveryVariant() throws Exception {
        var folder = DataFolder.resolve(null);
        FashionMnist train = FashionMnist.load(folder, true), test = FashionMnist.load(folder, false);
        Backends.use(Backends.open("cpu", 2));
        String kernels = ((CpuBackend) Backends.current()).kernels().machine();
        Layer net = LeNet.create(7);
        Training.train(net, new DataLoader(train, 64, true, 7, 256), new DataLoader(test, 64, false, 7, 64), 1, 0.9f,
                new PrintStream(new ByteArrayOutputStream()));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (var p : net.parameters()) {
            float[] v = p.data().toArray();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length);
            for (float f : v) b.putInt(Float.floatToRawIntBits(f));
            sha.update(b.array());
        }
        assertEquals(EXPECTED, HexFormat.of().formatHex(sha.digest()).substring(0, 16), "LeNet's weights on " + kernels);
    }
}
