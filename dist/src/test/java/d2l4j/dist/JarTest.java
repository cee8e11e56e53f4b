package d2l4j.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The single jar runs alone: java -jar with no other file on the class path, with and without the Vector API. */
class JarTest {
    static final Path JAR = Path.of(System.getProperty("d2l4j.jar", "target/d2l4j.jar"));
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    static String run(List<String> flags, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void jarHoldsOnlyTheEngine() throws IOException {
        try (ZipFile z = new ZipFile(JAR.toFile())) {
            List<String> foreign = z.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.startsWith("d2l4j/")).toList();
            assertTrue(foreign.isEmpty(), "classes outside d2l4j: " + foreign);
            assertTrue(z.getEntry("META-INF/services/d2l4j.tensor.BackendProvider") != null, "the CPU backend's provider");
            assertTrue(z.stream().noneMatch(e -> e.getName().startsWith("d2l4j/opencl/")), "no OpenCL in the core jar");
        }
        System.out.printf("d2l4j.jar: %d bytes%n", Files.size(JAR));
    }

    @Test
    void summaryRunsFromTheJarAloneOnTheReferenceKernels() throws Exception {
        String out = run(List.of(), "summary", "lenet");
        assertTrue(out.contains("total parameters: 61,706"), out);
        assertTrue(out.contains("jdk.incubator.vector not present"), out);
    }

    @Test
    void trainsOneShortEpochBothWays() throws Exception {
        assumeTrue(Files.isRegularFile(DATA.resolve("train-images-idx3-ubyte.gz")), "Fashion-MNIST not installed in " + DATA);
        for (List<String> flags : List.of(List.<String>of(), List.of("--add-modules", "jdk.incubator.vector"))) {
            Path plot = Files.createTempFile("d2l4j-jar", ".png");
            String out = run(flags, "train", "lenet", "--epochs", "1", "--limit", "1024", "--test-limit", "256",
                    "--data", DATA.toString(), "--plot", plot.toString());
            assertTrue(out.contains("epoch 1: loss"), out);
            assertTrue(out.contains(flags.isEmpty() ? "reference" : "Vector API"), out);
            Files.deleteIfExists(plot);
        }
    }
}
