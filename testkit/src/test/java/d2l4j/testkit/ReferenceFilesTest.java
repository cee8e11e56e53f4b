package d2l4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader and writer on the files src/reference/make_reference.py wrote (PyTorch's side). */
class ReferenceFilesTest {
    @TempDir
    Path dir;

    /** conv2d_0 as make_reference.py wrote it: LeNet's first convolution. */
    @Test
    void readsAFileThePythonScriptWrote() {
        SafeTensors c = PyTorchCases.load("conv2d", 0);
        assertEquals(List.of("x", "weight", "bias", "y", "gy", "gx", "gweight", "gbias"),
                List.copyOf(c.entries().keySet()));
        assertArrayEquals(new int[] {1, 1, 28, 28}, c.shape("x"));
        assertArrayEquals(new int[] {6, 1, 5, 5}, c.shape("weight"));
        assertArrayEquals(new int[] {1, 6, 28, 28}, c.shape("y"));
        assertEquals(2, c.metaInt("pad_h"));
        assertEquals("conv2d", c.meta("op"));
        SafeTensors ce = PyTorchCases.load("cross_entropy", 1);
        assertEquals("I64", ce.entry("labels").dtype());
        assertArrayEquals(new int[] {}, ce.shape("y"));
        for (int label : ce.ints("labels")) {
            assertTrue(label >= 0 && label < 10);
        }
    }

    /** The Java writer lays out a file as make_reference.py does: rewriting gives the same bytes. */
    @Test
    void rewritingEveryReferenceFileGivesTheSameBytes() throws IOException {
        List<Path> all;
        try (var files = Files.list(PyTorchCases.dataDir())) {
            all = files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        for (Path p : all) {
            SafeTensors st = SafeTensors.read(p);
            Path copy = dir.resolve(p.getFileName());
            SafeTensors.write(copy, st.entries(), st.metadata());
            assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(copy), p.toString());
        }
    }
}
