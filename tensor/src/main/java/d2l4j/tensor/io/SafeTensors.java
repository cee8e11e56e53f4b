package d2l4j.tensor.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the safetensors format (https://huggingface.co/docs/safetensors), no
 * dependencies:
 * <pre>
 * u64 little-endian N | N bytes of UTF-8 JSON header | data buffer (little-endian values)
 * header: {"__metadata__": {string: string}, name: {"dtype": "F32", "shape": [2, 3],
 *          "data_offsets": [begin, end]}, ...}      offsets relative to the data buffer
 * </pre>
 * Dtypes F32, I64 and I32 (I32 values are held widened in {@link Entry#i64()}). A file is read
 * whole and checked: every problem throws {@link SafeTensorsException} naming the file. Entries
 * keep the header's order; arrays are handed out as stored, not copied.
 */
public final class SafeTensors {

    /** One tensor: {@code f32} for dtype F32, {@code i64} for I64 and I32; the other is null. */
    public record Entry(String name, String dtype, int[] shape, float[] f32, long[] i64) {
        public Entry {
            if (name == null || name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("tensor name must be non-empty and not "
                        + "__metadata__, got " + (name == null ? "null" : "\"" + name + "\""));
            }
            int width = width(dtype);
            if (width == 0) {
                throw new IllegalArgumentException("tensor '" + name + "': unknown dtype " + dtype
                        + " (known: F32, I64, I32)");
            }
            shape = Objects.requireNonNull(shape, "shape").clone();
            long numel = SafeTensors.numel(shape);
            long length = dtype.equals("F32") ? lengthOf(f32) : lengthOf(i64);
            if ((dtype.equals("F32") ? i64 : f32) != null || length != numel) {
                throw new IllegalArgumentException("tensor '" + name + "': dtype " + dtype
                        + " and shape " + Arrays.toString(shape) + " need "
                        + (dtype.equals("F32") ? "f32" : "i64") + " with " + numel
                        + " values and the other array null");
            }
            if (dtype.equals("I32")) {
                for (long v : i64) {
                    if (v != (int) v) {
                        throw new IllegalArgumentException("tensor '" + name + "': I32 value " + v
                                + " out of range");
                    }
                }
            }
        }

        public static Entry f32(String name, int[] shape, float[] data) {
            return new Entry(name, "F32", shape, data, null);
        }

        public static Entry i64(String name, int[] shape, long[] data) {
            return new Entry(name, "I64", shape, null, data);
        }

        public static Entry i32(String name, int[] shape, int[] data) {
            return new Entry(name, "I32", shape, null, Arrays.stream(data).asLongStream().toArray());
        }

        /** The number of elements, the product of the shape (1 for shape []). */
        public long numel() {
            return SafeTensors.numel(shape);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape);
        }
    }

    private final Path file;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    SafeTensors(Path file, Map<String, Entry> entries, Map<String, String> metadata) {
        this.file = file;
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    public Path file() {
        return file;
    }

    /** All tensors in header order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** The {@code __metadata__} map in header order (empty when the file has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new SafeTensorsException(file, "no tensor named '" + name + "'; it has "
                    + entries.keySet());
        }
        return e;
    }

    public int[] shape(String name) {
        return entry(name).shape();
    }

    /** The values of an F32 tensor. */
    public float[] f32(String name) {
        Entry e = entry(name);
        if (e.f32() == null) {
            throw new SafeTensorsException(file, "tensor '" + name + "' is " + e.dtype()
                    + ", asked for F32");
        }
        return e.f32();
    }

    /** The values of an I64 or I32 tensor. */
    public long[] i64(String name) {
        Entry e = entry(name);
        if (e.i64() == null) {
            throw new SafeTensorsException(file, "tensor '" + name + "' is " + e.dtype()
                    + ", asked for I64 or I32");
        }
        return e.i64();
    }

    /** The values of an I64 or I32 tensor as ints (labels, say); each must fit in an int. */
    public int[] ints(String name) {
        long[] values = i64(name);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != (int) values[i]) {
                throw new SafeTensorsException(file, "tensor '" + name + "' value " + values[i]
                        + " at " + i + " does not fit in an int");
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    /** A metadata value that must be there. */
    public String meta(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new SafeTensorsException(file, "no metadata key '" + key + "'; it has "
                    + metadata.keySet());
        }
        return v;
    }

    public int metaInt(String key) {
        String v = meta(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new SafeTensorsException(file, "metadata '" + key + "' = \"" + v
                    + "\" is not an int");
        }
    }

    public float metaFloat(String key) {
        String v = meta(key);
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new SafeTensorsException(file, "metadata '" + key + "' = \"" + v
                    + "\" is not a number");
        }
    }

    @Override
    public String toString() {
        return "SafeTensors(" + file + ", " + entries.values() + ")";
    }

    // -------------------------------------------------------------------------------------------
    // Reading

    /** The same file's tensors under new names ({@code rename}: old → new; names not in it keep theirs). */
    public SafeTensors renamed(Map<String, String> rename) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            String name = rename.getOrDefault(e.name(), e.name());
            if (out.put(name, new Entry(name, e.dtype(), e.shape(), e.f32(), e.i64())) != null) {
                throw new IllegalArgumentException("renaming gives two tensors named " + Json.quote(name));
            }
        }
        return new SafeTensors(file, out, metadata);
    }

    /**
     * Reads and checks a whole file (at most 1 GiB of tensor data: a file that claims more is refused before it is
     * read); any problem throws {@link SafeTensorsException}.
     */
    public static SafeTensors read(Path file) {
        return SafeTensorsReader.read(file, null);
    }

    /**
     * Reads a file that must hold exactly the F32 tensors {@code expected} (name → shape): names, dtypes and shapes
     * are checked against the header before a byte of data is read, so the reader allocates only what is expected.
     */
    public static SafeTensors read(Path file, Map<String, int[]> expected) {
        return SafeTensorsReader.read(file, expected);
    }

    // -------------------------------------------------------------------------------------------
    // Writing

    /** Writes the tensors in map order (keys must equal entry names) through a temp file. */
    public static void write(Path file, Map<String, Entry> tensors, Map<String, String> metadata) {
        for (Map.Entry<String, Entry> kv : tensors.entrySet()) {
            if (!kv.getKey().equals(kv.getValue().name())) {
                throw new SafeTensorsException(file, "map key '" + kv.getKey()
                        + "' differs from the entry's name '" + kv.getValue().name() + "'");
            }
        }
        write(file, List.copyOf(tensors.values()), metadata);
    }

    /** Writes the tensors in list order (names must be distinct) through a temp file. */
    public static void write(Path file, List<Entry> tensors, Map<String, String> metadata) {
        SafeTensorsWriter.write(file, tensors, metadata);
    }

    /** A builder for small files: {@code SafeTensors.builder().f32("x", shape, v).write(path)}. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, Entry> tensors = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {}

        public Builder put(Entry e) {
            if (tensors.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("tensor '" + e.name() + "' added twice");
            }
            return this;
        }

        public Builder f32(String name, int[] shape, float[] data) {
            return put(Entry.f32(name, shape, data));
        }

        public Builder i64(String name, int[] shape, long[] data) {
            return put(Entry.i64(name, shape, data));
        }

        public Builder i32(String name, int[] shape, int[] data) {
            return put(Entry.i32(name, shape, data));
        }

        public Builder meta(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public void write(Path file) {
            SafeTensors.write(file, tensors, metadata);
        }
    }

    // -------------------------------------------------------------------------------------------

    /** Bytes per element, 0 for an unknown dtype. */
    static int width(String dtype) {
        return dtype == null ? 0 : switch (dtype) {
            case "F32", "I32" -> 4;
            case "I64" -> 8;
            default -> 0;
        };
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape "
                        + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, (long) d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has too many elements");
            }
        }
        return n;
    }

    private static long lengthOf(Object array) {
        return array instanceof float[] f ? f.length : array instanceof long[] l ? l.length : -1;
    }
}
