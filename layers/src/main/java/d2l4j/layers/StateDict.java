package d2l4j.layers;

import d2l4j.tensor.Tensor;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.tensor.io.SafeTensorsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network's parameters as a safetensors file, the way PyTorch users exchange weights:
 * {@code safetensors.torch.save_file(net.state_dict(), path)} on one side, {@link #load} here, and
 * the other way round with {@link #save} and {@code net.load_state_dict(load_file(path))}.
 *
 * <p>Names are {@link Layer#namedParameters()}'s, which are PyTorch's state_dict keys for d2l's nets
 * ({@code 0.weight}, {@code 0.bias}, ...); shapes are PyTorch's (Conv2d K×C×R×S, Linear out×in);
 * dtype F32, little-endian, in state_dict order.
 *
 * <p>Loading is all or nothing: the whole file is checked against the net (missing and unexpected
 * names, dtype, shape) before any parameter is overwritten, and every problem throws a
 * {@link SafeTensorsException} naming the file and the tensor. Metadata (checkpoints keep their
 * epoch and seed there) is ignored by {@link #load}.
 */
public final class StateDict {
    private StateDict() {}

    /** The parameters as F32 entries under their state_dict names (copies of the values). */
    public static List<SafeTensors.Entry> entries(Layer net) {
        List<SafeTensors.Entry> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            Tensor t = e.getValue().data();
            out.add(SafeTensors.Entry.f32(e.getKey(), t.shape(), t.toArray()));
        }
        return out;
    }

    /** Writes the parameters to {@code file} (through a temp file and an atomic rename). */
    public static void save(Layer net, Path file) {
        save(net, file, Map.of());
    }

    /** As {@link #save(Layer, Path)}, with {@code __metadata__} entries. */
    public static void save(Layer net, Path file, Map<String, String> metadata) {
        SafeTensors.write(file, entries(net), metadata);
    }

    /** Reads {@code file} and copies its tensors into the parameters of {@code net}; see the class comment. */
    public static SafeTensors load(Layer net, Path file) {
        Map<String, int[]> expected = new java.util.LinkedHashMap<>();
        for (var e : net.namedParameters().entrySet()) expected.put(e.getKey(), e.getValue().data().shape());
        SafeTensors st = SafeTensors.read(file, expected); // checked against the net before any data is read
        load(net, st);
        return st;
    }

    /** Copies the tensors of {@code st} into the parameters of {@code net}, after checking all of them. */
    public static void load(Layer net, SafeTensors st) {
        Map<String, Parameter> params = net.namedParameters();
        Set<String> missing = new LinkedHashSet<>(params.keySet());
        missing.removeAll(st.entries().keySet());
        Set<String> extra = new LinkedHashSet<>(st.entries().keySet());
        extra.removeAll(params.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder msg = new StringBuilder("does not fit the network's state_dict ("
                    + params.size() + " tensors):");
            if (!missing.isEmpty()) msg.append(" missing ").append(d2l4j.tensor.io.Json.printable(missing.toString()));
            if (!missing.isEmpty() && !extra.isEmpty()) msg.append(";");
            if (!extra.isEmpty()) msg.append(" unexpected ").append(d2l4j.tensor.io.Json.printable(extra.toString()));
            throw new SafeTensorsException(st.file(), msg.toString());
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            SafeTensors.Entry found = st.entry(e.getKey());
            Tensor t = e.getValue().data();
            if (!found.dtype().equals("F32")) {
                throw new SafeTensorsException(st.file(), "tensor '" + d2l4j.tensor.io.Json.printable(e.getKey()) + "': expected dtype F32, found "
                        + found.dtype());
            }
            if (!Arrays.equals(found.shape(), t.shape())) {
                throw new SafeTensorsException(st.file(), "tensor '" + d2l4j.tensor.io.Json.printable(e.getKey()) + "': expected shape "
                        + Arrays.toString(t.shape()) + ", found " + Arrays.toString(found.shape()));
            }
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            float[] src = st.entry(e.getKey()).f32();
            for (int i = 0; i < src.length; i++) {
                if (!Float.isFinite(src[i])) {
                    throw new SafeTensorsException(st.file(), "tensor '" + d2l4j.tensor.io.Json.printable(e.getKey())
                            + "' holds " + src[i] + " at index " + i + ": refusing non-finite weights");
                }
            }
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = e.getValue().data(); // contiguous: Parameter's constructor makes it so
            float[] src = st.entry(e.getKey()).f32();
            System.arraycopy(src, 0, t.data(), t.offset(), src.length);
        }
    }
}
