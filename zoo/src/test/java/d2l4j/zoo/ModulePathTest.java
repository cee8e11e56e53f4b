package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine on the module path (the tests themselves run on the class path): java -p with the five
 * modules' classes, -m d2l4j.zoo/d2l4j.zoo.Main. The backend comes through the module system's
 * ServiceLoader ({@code provides} in d2l4j.kernels); the Vector API kernels only with --add-modules.
 */
class ModulePathTest {
    static final Path ROOT = Path.of(System.getProperty("d2l4j.root", "..")).toAbsolutePath().normalize();
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    static String run(List<String> flags, String... args) throws Exception {
        List<String> path = new ArrayList<>();
        for (String m : List.of("tensor", "kernels", "autograd", "layers", "zoo")) {
            Path classes = ROOT.resolve(m).resolve("target/classes");
            assumeTrue(Files.isRegularFile(classes.resolve("module-info.class")), "no " + classes + "/module-info.class");
            path.add(classes.toString());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss4m"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-p", String.join(File.pathSeparator, path), "-m", "d2l4j.zoo/d2l4j.zoo.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("CLASSPATH");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void summaryOnTheModulePath() throws Exception {
        String out = run(List.of(), "summary", "lenet");
        assertTrue(out.contains("total parameters: 61,706"), out);
        assertTrue(out.contains("jdk.incubator.vector not present"), out);
    }

    @Test
    void trainingOnTheModulePathWithAndWithoutTheVectorApi() throws Exception {
        assumeTrue(Files.isRegularFile(DATA.resolve("train-images-idx3-ubyte.gz")), "Fashion-MNIST not installed in " + DATA);
        for (List<String> flags : List.of(List.<String>of(), List.of("--add-modules", "jdk.incubator.vector"))) {
            Path plot = Files.createTempFile("d2l4j-mp", ".png");
            String out = run(flags, "train", "lenet", "--epochs", "1", "--limit", "512", "--test-limit", "128",
                    "--data", DATA.toString(), "--plot", plot.toString());
            assertTrue(out.contains("epoch 1: loss"), out);
            assertTrue(out.contains(flags.isEmpty() ? "cpu (reference" : "cpu (Vector API"), out);
            Files.deleteIfExists(plot);
        }
    }
}
