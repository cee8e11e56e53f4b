package d2l4j.testkit;

import d2l4j.tensor.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the PyTorch reference cases that {@code src/reference/make_reference.py} writes:
 * {@code src/reference/data/<op>_<k>.safetensors}, k = 0, 1, 2, ... For tests:
 * <pre>
 * for (Path p : PyTorchCases.cases("conv2d")) {
 *     SafeTensors c = SafeTensors.read(p);
 *     int stride = c.metaInt("stride_h");  ...
 * }
 * </pre>
 * The folder is looked for under the system property {@value #ROOT_PROPERTY} (surefire sets it to
 * the project root) and then from the working directory, each walked up until a folder holding
 * {@code src/reference/data}.
 */
public final class PyTorchCases {
    public static final String ROOT_PROPERTY = "d2l4j.root";
    private static final Path RELATIVE = Path.of("src", "reference", "data");

    private PyTorchCases() {}

    /** The {@code src/reference/data} folder; IllegalStateException saying where it looked. */
    public static Path dataDir() {
        List<Path> starts = new ArrayList<>();
        String root = System.getProperty(ROOT_PROPERTY);
        if (root != null && !root.isBlank()) {
            starts.add(Path.of(root));
        }
        starts.add(Path.of(System.getProperty("user.dir")));
        for (Path start : starts) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path data = dir.resolve(RELATIVE);
                if (Files.isDirectory(data)) {
                    return data;
                }
            }
        }
        throw new IllegalStateException("no " + RELATIVE + " folder above " + starts
                + " (system property " + ROOT_PROPERTY + " = " + root + "); regenerate it with "
                + "/usr/bin/python3 src/reference/make_reference.py");
    }

    /** The files of {@code op} sorted by k; IllegalStateException when there is none. */
    public static List<Path> cases(String op) {
        Path dir = dataDir();
        Pattern name = Pattern.compile(Pattern.quote(op) + "_(\\d+)\\.safetensors");
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> name.matcher(p.getFileName().toString()).matches())
                    .forEach(found::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e, e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no reference cases " + op + "_<k>.safetensors in "
                    + dir);
        }
        found.sort(Comparator.comparingLong(PyTorchCases::index));
        return List.copyOf(found);
    }

    /** Reads case {@code k} of {@code op}. */
    public static SafeTensors load(String op, int k) {
        return SafeTensors.read(dataDir().resolve(op + "_" + k + ".safetensors"));
    }

    /** The k of a file named {@code <op>_<k>.safetensors}. */
    public static int index(Path file) {
        Matcher m = Pattern.compile(".*_(\\d+)\\.safetensors").matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a reference case file name: " + file);
        }
        return Integer.parseInt(m.group(1));
    }
}
