package d2l4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PyTorchCasesTest {

    @Test
    void listsCasesByOpSortedByK() {
        List<Path> conv = PyTorchCases.cases("conv2d");
        assertEquals(6, conv.size());
        for (int k = 0; k < conv.size(); k++) {
            assertEquals("conv2d_" + k + ".safetensors", conv.get(k).getFileName().toString());
            assertEquals(k, PyTorchCases.index(conv.get(k)));
        }
        assertEquals(List.of("lenet_0.safetensors"),
                PyTorchCases.cases("lenet").stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(1, PyTorchCases.cases("lenet_sgd20").size());
        var e = assertThrows(IllegalStateException.class, () -> PyTorchCases.cases("nope"));
        assertTrue(e.getMessage().contains("nope_<k>.safetensors"), e.getMessage());
    }

    /** Every stored case reads, and each gradient has the shape of what it differentiates. */
    @Test
    void everyCaseIsWellFormed() throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.list(PyTorchCases.dataDir())) {
            all = files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertTrue(all.size() >= 30, "found " + all.size());
        long total = 0;
        for (Path p : all) {
            total += Files.size(p);
            SafeTensors c = SafeTensors.read(p);
            String op = c.meta("op");
            assertTrue(p.getFileName().toString().startsWith(op + "_"), p.toString());
            for (String name : List.of("x", "weight", "bias", "y")) {
                String grad = name.equals("y") ? "gy" : "g" + name;
                if (c.has(name) && c.has(grad)) {
                    assertArrayEquals(c.shape(name), c.shape(grad), p + " " + grad);
                }
            }
        }
        // small enough to commit: big tensors come from the HashFill formula, big gradients are sampled
        assertTrue(total < 3_000_000, "reference data is " + total + " bytes");
    }
}
