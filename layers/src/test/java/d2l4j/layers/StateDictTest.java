package d2l4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.io.SafeTensors;
import d2l4j.tensor.io.SafeTensorsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading parameters as safetensors under state_dict names, and every error a bad file gets. */
class StateDictTest {
    @TempDir
    Path dir;

    /** A small net with a conv, a nested Sequential and a linear layer: names 0.weight, 2.0.weight, ... */
    private static Sequential net(long seed) {
        return Init.d2l(new Sequential(new Conv2d(1, 2, 3, 1, 1), new ReLU(),
                new Sequential(new Linear(4, 3)), new Flatten()), seed);
    }

    private static void assertSameParameters(Layer a, Layer b) {
        var pa = a.namedParameters();
        var pb = b.namedParameters();
        assertEquals(pa.keySet(), pb.keySet());
        for (String name : pa.keySet()) {
            assertArrayEquals(pa.get(name).data().toArray(), pb.get(name).data().toArray(), 0f, name);
        }
    }

    @Test
    void roundTripKeepsNamesShapesOrderAndValues() {
        Sequential a = net(1), b = net(2);
        Path file = dir.resolve("net.safetensors");
        StateDict.save(a, file, Map.of("epoch", "3"));
        SafeTensors st = SafeTensors.read(file);
        assertEquals(List.of("0.weight", "0.bias", "2.0.weight", "2.0.bias"), List.copyOf(st.entries().keySet()));
        assertArrayEquals(new int[] {2, 1, 3, 3}, st.shape("0.weight"));
        assertArrayEquals(new int[] {3, 4}, st.shape("2.0.weight")); // PyTorch's Linear: out × in
        assertEquals("F32", st.entry("0.bias").dtype());
        assertEquals("3", st.meta("epoch"));
        StateDict.load(b, file);
        assertSameParameters(a, b);
    }

    @Test
    void missingAndExtraNamesAreListed() {
        Sequential a = net(1);
        Path file = dir.resolve("renamed.safetensors");
        var b = SafeTensors.builder();
        for (var e : StateDict.entries(a)) {
            String name = e.name().equals("0.bias") ? "0.b" : e.name();
            b.put(new SafeTensors.Entry(name, e.dtype(), e.shape(), e.f32(), e.i64()));
        }
        b.write(file);
        Sequential c = net(5);
        float[] before = c.namedParameters().get("0.weight").data().toArray();
        var ex = assertThrows(SafeTensorsException.class, () -> StateDict.load(c, file));
        assertTrue(ex.getMessage().contains("missing [0.bias]"), ex.getMessage());
        assertTrue(ex.getMessage().contains("unexpected [0.b]"), ex.getMessage());
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertArrayEquals(before, c.namedParameters().get("0.weight").data().toArray(), 0f, "nothing overwritten");
    }

    @Test
    void wrongDtypeAndShapeNameTheTensorExpectedAndFound() {
        Sequential a = net(1);
        Path wrongShape = dir.resolve("shape.safetensors"), wrongType = dir.resolve("dtype.safetensors");
        var bs = SafeTensors.builder();
        var bt = SafeTensors.builder();
        for (var e : StateDict.entries(a)) {
            if (e.name().equals("2.0.weight")) {
                bs.f32(e.name(), new int[] {4, 3}, e.f32());
                bt.i64(e.name(), e.shape(), new long[e.f32().length]);
            } else {
                bs.put(e);
                bt.put(e);
            }
        }
        bs.write(wrongShape);
        bt.write(wrongType);
        var ex = assertThrows(SafeTensorsException.class, () -> StateDict.load(net(2), wrongShape));
        assertTrue(ex.getMessage().contains("tensor '2.0.weight': expected shape [3, 4], found [4, 3]"), ex.getMessage());
        ex = assertThrows(SafeTensorsException.class, () -> StateDict.load(net(2), wrongType));
        assertTrue(ex.getMessage().contains("tensor '2.0.weight': expected dtype F32, found I64"), ex.getMessage());
    }

    /** Writes a file with a hand-made header: u64 length, the JSON, then {@code dataBytes} zero bytes. */
    private Path raw(String name, long headerLength, String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(headerLength).put(h);
        Path file = dir.resolve(name);
        Files.write(file, buf.array());
        return file;
    }

    private static int len(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void malformedFilesNameTheProblem() throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        int n = ok.getBytes(StandardCharsets.UTF_8).length;
        SafeTensors.read(raw("ok.safetensors", n, ok, 16)); // the control case reads

        var ex = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(raw("long.safetensors", n + 100, ok, 16)));
        assertTrue(ex.getMessage().contains("header length " + (n + 100) + " runs past the end"), ex.getMessage());
        ex = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(raw("neg.safetensors", -1, ok, 16)));
        assertTrue(ex.getMessage().contains("runs past the end"), ex.getMessage());

        String overlap = ok.replace("[8,16]", "[4,12]");
        ex = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(raw("overlap.safetensors", len(overlap), overlap, 16)));
        assertTrue(ex.getMessage().contains("overlap") && ex.getMessage().contains("'a'") && ex.getMessage().contains("'b'"),
                ex.getMessage());

        String outside = ok.replace("[8,16]", "[16,24]");
        ex = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(raw("range.safetensors", len(outside), outside, 16)));
        assertTrue(ex.getMessage().contains("tensor 'b': data_offsets [16, 24] out of range"), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(dir.resolve("range.safetensors").toString()), ex.getMessage());

        String wrongSize = ok.replace("\"shape\":[2],\"data_offsets\":[8,16]", "\"shape\":[3],\"data_offsets\":[8,16]");
        ex = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(raw("size.safetensors", len(wrongSize), wrongSize, 16)));
        assertTrue(ex.getMessage().contains("tensor 'b'") && ex.getMessage().contains("needs 3 x 4 = 12"), ex.getMessage());
    }
}
