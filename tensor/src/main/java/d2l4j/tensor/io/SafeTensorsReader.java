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
    /** Most tensor bytes {@link #read(Path, Map)} reads without a list of expected tensors. */
    static final long MAX_DATA = 1L << 30;

    private SafeTensorsReader() {}

    /**
     * Reads a file; with {@code expected} (name → shape, all F32), the header is checked against it (the same
     * names, dtype and shapes) before a byte of tensor data is read, so a small hostile file cannot make this
     * allocate more than the expected tensors; without, at most {@link #MAX_DATA} bytes of data are read.
     */
    static SafeTensors read(Path file, Map<String, int[]> expected) {
        if (java.nio.file.Files.isDirectory(file)) throw new SafeTensorsException(file, "is a directory, not a safetensors file");
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isRegularFile(file)) {
            throw new SafeTensorsException(file, "is not a regular file (a pipe or a device?)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch, expected);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SafeTensorsException(file, "no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new SafeTensorsException(file, "not readable (permissions)", e);
        } catch (IOException e) {
            throw new SafeTensorsException(file, "cannot read: " + e, e);
        }
    }

    private static SafeTensors read(Path file, FileChannel ch, Map<String, int[]> expected) throws IOException {
        long size = ch.size();
        if (size >= 4) {
            ByteBuffer magic = bytes(ch, 0, 4);
            if (magic.get(0) == 'P' && magic.get(1) == 'K' && magic.get(2) == 3 && magic.get(3) == 4) {
                throw new SafeTensorsException(file, "is a zip archive, as PyTorch's torch.save writes (pickles), not "
                        + "safetensors: convert it in Python with safetensors.torch.save_file(torch.load(path), 'out.safetensors')");
            }
        }
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
        Map<String, Object[]> headers = new LinkedHashMap<>(); // name -> {dtype, shape, numel}
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
                throw new SafeTensorsException(file, "tensor '" + Json.printable(name) + "': expected an object");
            }
            Object dtypeValue = info.get("dtype");
            if (!(dtypeValue instanceof String dtype)) {
                throw new SafeTensorsException(file, "tensor '" + name
                        + "': missing or non-string \"dtype\"");
            }
            int width = SafeTensors.width(dtype);
            if (width == 0) {
                throw new SafeTensorsException(file, "tensor '" + Json.printable(name) + "': unknown dtype \""
                        + dtype + "\" (this reader knows F32, I64, I32)");
            }
            int[] shape = toInts(file, name, "shape", info.get("shape"));
            long[] range = toLongs(file, name, info.get("data_offsets"));
            long numel;
            try {
                numel = SafeTensors.numel(shape);
            } catch (IllegalArgumentException e) {
                throw new SafeTensorsException(file, "tensor '" + Json.printable(name) + "': " + e.getMessage());
            }
            if (range[0] > range[1] || range[1] > dataLength) {
                throw new SafeTensorsException(file, "tensor '" + Json.printable(name) + "': data_offsets "
                        + Arrays.toString(range) + " out of range: the data buffer has "
                        + dataLength + " bytes");
            }
            if (numel > Integer.MAX_VALUE - 8 || range[1] - range[0] != numel * width) {
                throw new SafeTensorsException(file, "tensor '" + Json.printable(name) + "': data_offsets "
                        + Arrays.toString(range) + " hold " + (range[1] - range[0])
                        + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype
                        + " needs " + numel + " x " + width + " = " + numel * width);
            }
            offsets.put(name, range);
            headers.put(name, new Object[] {dtype, shape, numel});
        }
        checkNoOverlap(file, offsets); // before any data is read: overlapping entries could multiply the reads
        if (expected != null) checkExpected(file, headers, expected);
        long total = 0;
        for (long[] r : offsets.values()) total += r[1] - r[0];
        if (expected == null && total > MAX_DATA) {
            throw new SafeTensorsException(file, "holds " + total + " bytes of tensors, more than the " + MAX_DATA
                    + " this reader reads without knowing what to expect");
        }
        for (var h : headers.entrySet()) {
            Object[] v = h.getValue();
            entries.put(h.getKey(), readEntry(ch, dataStart + offsets.get(h.getKey())[0], h.getKey(), (String) v[0],
                    (int[]) v[1], (int) (long) (Long) v[2]));
        }
        return new SafeTensors(file, entries, metadata);
    }

    // the same names, F32 and the same shapes as expected; the message lists what is missing and unexpected
    private static void checkExpected(Path file, Map<String, Object[]> headers, Map<String, int[]> expected) {
        java.util.Set<String> missing = new java.util.LinkedHashSet<>(expected.keySet());
        missing.removeAll(headers.keySet());
        java.util.Set<String> extra = new java.util.LinkedHashSet<>(headers.keySet());
        extra.removeAll(expected.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder msg = new StringBuilder("does not fit the network's state_dict (" + expected.size() + " tensors):");
            if (!missing.isEmpty()) msg.append(" missing ").append(Json.printable(missing.toString()));
            if (!missing.isEmpty() && !extra.isEmpty()) msg.append(";");
            if (!extra.isEmpty()) msg.append(" unexpected ").append(Json.printable(extra.toString()));
            throw new SafeTensorsException(file, msg.toString());
        }
        for (var e : expected.entrySet()) {
            Object[] h = headers.get(e.getKey());
            if (!h[0].equals("F32")) {
                throw new SafeTensorsException(file, "tensor '" + Json.printable(e.getKey()) + "': expected dtype F32, found " + h[0]);
            }
            if (!Arrays.equals((int[]) h[1], e.getValue())) {
                throw new SafeTensorsException(file, "tensor '" + Json.printable(e.getKey()) + "': expected shape "
                        + Arrays.toString(e.getValue()) + ", found " + Arrays.toString((int[]) h[1]));
            }
        }
    }

    private static void readMetadata(Path file, Object value, Map<String, String> out) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new SafeTensorsException(file, "__metadata__ is not an object");
        }
        for (Map.Entry<?, ?> kv : map.entrySet()) {
            if (!(kv.getValue() instanceof String s)) {
                throw new SafeTensorsException(file, "__metadata__ value of '" + Json.printable(String.valueOf(kv.getKey()))
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
                throw new SafeTensorsException(file, "tensors '" + Json.printable(prev.getKey()) + "' "
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
                throw new SafeTensorsException(file, "tensor '" + Json.printable(name) + "': " + key + " "
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
            throw new SafeTensorsException(file, "tensor '" + Json.printable(name) + "': missing or non-array \""
                    + key + "\"");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw new SafeTensorsException(file, "tensor '" + Json.printable(name) + "': " + key
                        + " must hold non-negative integers, got " + list);
            }
            out[i] = v;
        }
        return out;
    }
}
