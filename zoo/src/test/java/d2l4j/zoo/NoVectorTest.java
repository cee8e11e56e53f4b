package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.kernels.CpuBackend;
import d2l4j.kernels.CpuKernels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the surefire execution "no-vector" (zoo/pom.xml), whose JVM lacks jdk.incubator.vector:
 * the engine must fall back to the reference kernels and still train.
 */
class NoVectorTest {

    @Test
    void trainsOnTheReferenceKernelsWithoutTheVectorModule(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertFalse(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "this test must run in a JVM without --add-modules jdk.incubator.vector");
        assertEquals("reference", CpuKernels.best().name());
        assertTrue(new CpuBackend().name().contains("reference"));
        var out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"train", "lenet", "--epochs", "1", "--limit", "512", "--threads", "2",
                        "--test-limit", "2000", "--plot", dir.resolve("plot.png").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("examples/sec on cpu (reference, 2 threads)"),
                out.toString(StandardCharsets.UTF_8));
    }
}
