package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.io.SafeTensors;
import d2l4j.testkit.PyTorchCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The book's sections as JShell scripts (examples/*.jsh) run as a reader runs them: the JDK's jshell with the
 * engine on the class path and examples/d2l4j.jsh as start-up (what ./d2l4j jshell does). Each must exit 0, print
 * the shape loop's lines exactly as the book does (examples/expected, whitespace and torch.Size aside) and, where
 * PyTorch printed them for the reference cases, as PyTorch does; and finish its quick training run.
 */
class ExamplesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "alexnet", "vgg", "nin", "googlenet"})
    void scriptPrintsTheBooksShapesAndTrains(String net) throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        List<String> cmd = new ArrayList<>(List.of(jshell.toString(), "--class-path", System.getProperty("java.class.path"),
                "-R--add-modules", "-Rjdk.incubator.vector", "-R-XX:+UseParallelGC", "-R-Xss4m",
                "--startup", "DEFAULT", "--startup", ROOT.resolve("examples/d2l4j.jsh").toString(),
                ROOT.resolve("examples/" + net + ".jsh").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", Path.of("target").toAbsolutePath().toString()); // JShell's preferences
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), net + ": jshell did not finish");
        assertEquals(0, p.exitValue(), net + ": jshell's exit status; output:\n" + out);
        assertTrue(!out.contains("|  Error") && !out.contains("Exception"), net + ": an error in the script:\n" + out);

        List<String> ours = new ArrayList<>();
        for (String line : out.split("\n")) if (line.contains("output shape:")) ours.add(normalize(line));
        List<String> book = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("examples/expected/" + net + ".txt"))) book.add(normalize(line));
        assertEquals(book, ours, net + ": the shape loop's lines against the book's");
        if (List.of("alexnet", "nin", "googlenet").contains(net)) {
            SafeTensors f = PyTorchCases.load(net, 0);
            List<String> torch = new ArrayList<>();
            for (String s : f.meta("shapes").split(";")) torch.add(s.replaceFirst(" ", " output shape: "));
            assertEquals(torch, ours, net + ": the shape loop's lines against PyTorch's");
        }
        assertTrue(out.matches("(?s).*quick run: loss \\d+\\.\\d{3}, test acc \\d\\.\\d{3}.*"), net + ": no training line:\n" + out);
    }

    // "Conv2d output shape: \t torch.Size([1, 6, 28, 28])" -> "Conv2d output shape: [1, 6, 28, 28]"
    static String normalize(String line) {
        return line.replaceAll("torch\\.Size\\((\\[[^]]*])\\)", "$1").replaceAll("\\s+", " ").strip();
    }
}
