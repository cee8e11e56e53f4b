package d2l4j.tensor.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a safetensors file whole and checks every field; see {@link SafeTensors}. */
final class SafeTensorsReader {
    private static final long MAX_HEADER = 100L << 20;
    private static final int CHUNK = 1 << 16;

    private SafeTensorsReader() {}

    static SafeTensors read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (IOException e) {
            throw new SafeTensorsException(file, "cannot read: " + e, e);
        }
    }

    private static SafeTensors read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new SafeTensorsException(file, "file is " + size
                    + " bytes, too short for the 8-byte header length");
        }
        long n = bytes(ch, 0, 8).getLong();
        if (n < 0 || n > size - 8) {
            throw new SafeTensorsException(file, "header length " + Long.toUnsignedString(n)
                    + " runs past the end of the file (" + size + " bytes, so at most "
                    + (size - 8) + ")");
        }
        if (n > MAX_HEADER) {
            throw new SafeTensorsException(file, "header length " + n + " is over the "
                    + MAX_HEADER + "-byte limit");
        }
        byte[] header = new byte[(int) n];
        bytes(ch, 8, (int) n).get(header);
        Object json;
        try {
            json = Json.parse(header);
        } catch (Json.JsonException e) {
            throw new SafeTensorsException(file, "bad JSON in the header at offset " + e.offset
                    + " (file byte " + (8 + e.offset) + "): " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> top)) {
            throw new SafeTensorsException(file, "header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, long[]> offsets = new LinkedHashMap<>();
        Map<String, SafeTensors.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> kv : top.entrySet()) {
            String name = (String) kv.getKey();
            if (name.equals("__metadata__")) {
                readMetadata(file, kv.getValue(), metadata);
                continue;
            }
            if (name.isEmpty()) {
                throw new SafeTensorsException(file, "a tensor has an empty name");
            }
            if (!(kv.getValue() instanceof Map<?, ?> info)) {
                throw new SafeTensorsException(file, "tensor '" + name + "': expected an object");
            }
            Object dtypeValue = info.get("dtype");
            if (!(dtypeValue instanceof String dtype)) {
                throw new SafeTensorsException(file, "tensor '" + name
                        + "': missing or non-string \"dtype\"");
            }
            int width = SafeTensors.width(dtype);
            if (width == 0) {
                throw new SafeTensorsException(file, "tensor '" + name + "': unknown dtype \""
                        + dtype + "\" (this reader knows F32, I64, I32)");
            }
            int[] shape = toInts(file, name, "shape", info.get("shape"));
            long[] range = toLongs(file, name, info.get("data_offsets"));
            long numel;
            try {
                numel = SafeTensors.numel(shape);
            } catch (IllegalArgumentException e) {
                throw new SafeTensorsException(file, "tensor '" + name + "': " + e.getMessage());
            }
            if (range[0] > range[1] || range[1] > dataLength) {
                throw new SafeTensorsException(file, "tensor '" + name + "': data_offsets "
                        + Arrays.toString(range) + " out of range: the data buffer has "
                        + dataLength + " bytes");
            }
            if (numel > Integer.MAX_VALUE - 8 || range[1] - range[0] != numel * width) {
                throw new SafeTensorsException(file, "tensor '" + name + "': data_offsets "
                        + Arrays.toString(range) + " hold " + (range[1] - range[0])
                        + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype
                        + " needs " + numel + " x " + width + " = " + numel * width);
            }
            offsets.put(name, range);
            entries.put(name, readEntry(ch, dataStart + range[0], name, dtype, shape, (int) numel));
        }
        checkNoOverlap(file, offsets);
        return new SafeTensors(file, entries, metadata);
    }

    private static void readMetadata(Path file, Object value, Map<String, String> out) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new SafeTensorsException(file, "__metadata__ is not an object");
        }
        for (Map.Entry<?, ?> kv : map.entrySet()) {
            if (!(kv.getValue() instanceof String s)) {
                throw new SafeTensorsException(file, "__metadata__ value of '" + kv.getKey()
                        + "' is not a string");
            }
            out.put((String) kv.getKey(), s);
        }
    }

    private static void checkNoOverlap(Path file, Map<String, long[]> offsets) {
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(offsets.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
                .thenComparingLong(e -> e.getValue()[1]));
        for (int i = 1; i < sorted.size(); i++) {
            var prev = sorted.get(i - 1);
            var cur = sorted.get(i);
            if (cur.getValue()[0] < prev.getValue()[1]) {
                throw new SafeTensorsException(file, "tensors '" + prev.getKey() + "' "
                        + Arrays.toString(prev.getValue()) + " and '" + cur.getKey() + "' "
                        + Arrays.toString(cur.getValue()) + " overlap");
            }
        }
    }

    private static SafeTensors.Entry readEntry(FileChannel ch, long at, String name, String dtype, int[] shape,
                                   int numel) throws IOException {
        int width = SafeTensors.width(dtype);
        float[] f32 = dtype.equals("F32") ? new float[numel] : null;
        long[] i64 = dtype.equals("F32") ? null : new long[numel];
        int perChunk = CHUNK / width;
        for (int done = 0; done < numel; ) {
            int count = Math.min(perChunk, numel - done);
            ByteBuffer buf = bytes(ch, at + (long) done * width, count * width);
            switch (dtype) {
                case "F32" -> buf.asFloatBuffer().get(f32, done, count);
                case "I64" -> buf.asLongBuffer().get(i64, done, count);
                default -> {
                    for (int i = 0; i < count; i++) {
                        i64[done + i] = buf.getInt();
                    }
                }
            }
            done += count;
        }
        return new SafeTensors.Entry(name, dtype, shape, f32, i64);
    }

    private static ByteBuffer bytes(FileChannel ch, long at, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(count).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (at + buf.position()));
            }
        }
        return buf.flip();
    }

    private static int[] toInts(Path file, String name, String key, Object value) {
        long[] longs = toLongArray(file, name, key, value);
        int[] out = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            if (longs[i] > Integer.MAX_VALUE) {
                throw new SafeTensorsException(file, "tensor '" + name + "': " + key + " "
                        + Arrays.toString(longs) + " has a dimension over " + Integer.MAX_VALUE);
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    private static long[] toLongs(Path file, String name, Object value) {
        long[] range = toLongArray(file, name, "data_offsets", value);
        if (range.length != 2) {
            throw new SafeTensorsException(file, "tensor '" + name
                    + "': data_offsets must be [begin, end], got " + Arrays.toString(range));
        }
        return range;
    }

    private static long[] toLongArray(Path file, String name, String key, Object value) {
        if (!(value instanceof List<?> list)) {
            throw new SafeTensorsException(file, "tensor '" + name + "': missing or non-array \""
                    + key + "\"");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw new SafeTensorsException(file, "tensor '" + name + "': " + key
                        + " must hold non-negative integers, got " + list);
            }
            out[i] = v;
        }
        return out;
    }
}
