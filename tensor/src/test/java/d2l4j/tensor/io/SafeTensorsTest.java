package d2l4j.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsValuesOrderAndMetadata() {
        float[] x = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, Float.POSITIVE_INFINITY, -3e38f};
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("stride", "2");
        meta.put("note", "quote \" backslash \\ newline \n tab \t ctrl \u0001 é 中 \uD83D\uDE00");
        Map<String, SafeTensors.Entry> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", SafeTensors.Entry.f32("z.weight", new int[] {2, 3}, x));
        tensors.put("labels", SafeTensors.Entry.i64("labels", new int[] {3},
                new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}));
        tensors.put("idx", SafeTensors.Entry.i32("idx", new int[] {2}, new int[] {-7, 1 << 30}));
        tensors.put("scalar", SafeTensors.Entry.f32("scalar", new int[] {}, new float[] {42f}));
        tensors.put("empty", SafeTensors.Entry.f32("empty", new int[] {0, 5}, new float[0]));
        tensors.put("a", SafeTensors.Entry.f32("a", new int[] {1}, new float[] {7f}));
        Path file = dir.resolve("sub/round.safetensors");
        SafeTensors.write(file, tensors, meta);

        SafeTensors st = SafeTensors.read(file);
        assertEquals(List.of("z.weight", "labels", "idx", "scalar", "empty", "a"),
                List.copyOf(st.entries().keySet()));
        assertEquals(meta, st.metadata());
        assertEquals(List.copyOf(meta.keySet()), List.copyOf(st.metadata().keySet()));
        assertArrayEquals(new int[] {2, 3}, st.shape("z.weight"));
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(st.f32("z.weight")[i]));
        }
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, st.i64("labels"));
        assertEquals("I32", st.entry("idx").dtype());
        assertArrayEquals(new int[] {-7, 1 << 30}, st.ints("idx"));
        assertArrayEquals(new int[] {}, st.shape("scalar"));
        assertArrayEquals(new float[] {42f}, st.f32("scalar"));
        assertEquals(0, st.f32("empty").length);
        assertEquals(2, st.metaInt("stride"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "the temp file is gone");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void builderWritesAndOverwrites() throws IOException {
        Path file = dir.resolve("b.safetensors");
        SafeTensors.builder().f32("x", new int[] {2}, new float[] {1, 2}).meta("k", "v").write(file);
        SafeTensors.builder().f32("y", new int[] {1}, new float[] {3}).write(file);
        SafeTensors st = SafeTensors.read(file);
        assertEquals(List.of("y"), List.copyOf(st.entries().keySet()));
        assertTrue(st.metadata().isEmpty());
        assertEquals(0, (Files.size(file) - 8 - 0) % 4);
        long n = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
    }

    // ----- malformed files: each names the file and the problem

    @Test
    void tooShort() {
        assertProblem(raw(new byte[] {1, 2, 3}), "3 bytes, too short for the 8-byte header length");
    }

    @Test
    void headerLengthPastTheEnd() {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        assertProblem(raw(b.array()), "header length 1000 runs past the end of the file (20 bytes");
        b.clear();
        b.putLong(-1);
        assertProblem(raw(b.array()), "header length 18446744073709551615 runs past the end");
    }

    @Test
    void badJsonGivesTheOffset() {
        assertProblem(file("{\"x\": {\"dtype\" \"F32\"}}", 0),
                "bad JSON in the header at offset 15 (file byte 23): expected ':', found '\"'");
        assertProblem(file("{\"x\": [1, 2,]}", 0), "at offset 12 (file byte 20): expected a value, found ']'");
        assertProblem(file("{\"é\": tru}", 0), "at offset 7 (file byte 15): expected a value");
        assertProblem(file("{\"a\": 1} x", 0), "at offset 9 (file byte 17): expected the end");
        assertProblem(file("{\"a\": \"b", 0), "unterminated string");
        assertProblem(file("{\"a\": 1, \"a\": 2}", 0), "at offset 9 (file byte 17): duplicate key \"a\"");
        assertProblem(file("[" .repeat(100), 0), "nested deeper than 64 levels");
        byte[] bad = {'{', '"', (byte) 0xC3, '"', ':', '1', '}'};
        assertProblem(rawHeader(bad), "at offset 2 (file byte 10): not valid UTF-8");
        assertProblem(file("[1, 2]", 0), "header is not a JSON object");
    }

    @Test
    void unknownDtype() {
        assertProblem(file("{\"w\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [0, 4]}}", 4),
                "tensor 'w': unknown dtype \"BF16\" (this reader knows F32, I64, I32)");
    }

    @Test
    void offsetsOutOfRange() {
        assertProblem(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 8),
                "tensor 'w': data_offsets [0, 16] out of range: the data buffer has 8 bytes");
        assertProblem(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [8, 4]}}", 8),
                "tensor 'w': data_offsets [8, 4] out of range");
        assertProblem(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 8),
                "tensor 'w': data_offsets must be [begin, end], got [0]");
        assertProblem(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, -4]}}", 8),
                "data_offsets must hold non-negative integers");
    }

    @Test
    void overlappingTensors() {
        assertProblem(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                        + "\"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12),
                "tensors 'a' [0, 8] and 'b' [4, 12] overlap");
    }

    @Test
    void sizeNotMatchingShapeAndDtype() {
        assertProblem(file("{\"a\": {\"dtype\": \"I64\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}}", 24),
                "tensor 'a': data_offsets [0, 24] hold 24 bytes, but shape [2, 3] of I64 needs 6 x 8 = 48");
        assertProblem(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [2.0], \"data_offsets\": [0, 8]}}", 8),
                "tensor 'a': shape must hold non-negative integers, got [2.0]");
        assertProblem(file("{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 8]}}", 8),
                "tensor 'a': missing or non-array \"shape\"");
    }

    @Test
    void badMetadata() {
        assertProblem(file("{\"__metadata__\": {\"k\": 2}}", 0), "__metadata__ value of 'k' is not a string");
    }

    @Test
    void missingNameOrWrongDtype() {
        Path file = dir.resolve("ok.safetensors");
        SafeTensors.builder().f32("x", new int[] {1}, new float[] {1}).i64("n", new int[] {1}, new long[] {3})
                .write(file);
        SafeTensors st = SafeTensors.read(file);
        var e = assertThrows(SafeTensorsException.class, () -> st.f32("y"));
        assertEquals(file + ": no tensor named 'y'; it has [x, n]", e.getMessage());
        e = assertThrows(SafeTensorsException.class, () -> st.f32("n"));
        assertEquals(file + ": tensor 'n' is I64, asked for F32", e.getMessage());
        e = assertThrows(SafeTensorsException.class, () -> st.i64("x"));
        assertTrue(e.getMessage().endsWith("tensor 'x' is F32, asked for I64 or I32"));
        e = assertThrows(SafeTensorsException.class, () -> st.meta("stride"));
        assertTrue(e.getMessage().endsWith("no metadata key 'stride'; it has []"));
        Path missing = dir.resolve("nope.safetensors");
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void entryChecksItsArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.Entry.f32("x", new int[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> new SafeTensors.Entry("x", "F16", new int[] {1}, new float[1], null));
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.Entry.f32("__metadata__", new int[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class,
                () -> new SafeTensors.Entry("x", "I32", new int[] {1}, null, new long[] {1L << 40}));
        Path file = dir.resolve("dup.safetensors");
        var e = SafeTensors.Entry.f32("x", new int[] {1}, new float[1]);
        assertThrows(SafeTensorsException.class, () -> SafeTensors.write(file, List.of(e, e), Map.of()));
        assertFalse(Files.exists(file));
    }

    private void assertProblem(Path file, String expected) {
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }

    private int count;

    /** A file with the given header text and {@code dataBytes} zero bytes of data. */
    private Path file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return raw(b.array());
    }

    private Path rawHeader(byte[] h) {
        ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        return raw(b.putLong(h.length).put(h).array());
    }

    private Path raw(byte[] bytes) {
        try {
            Path p = dir.resolve("bad" + count++ + ".safetensors");
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
