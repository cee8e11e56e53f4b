package d2l4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.layers.Layer;
import d2l4j.layers.StateDict;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.tensor.io.SafeTensorsException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights files from elsewhere: d2l's Chinese-edition LeNet state_dict (a Reshape at index 0) mapped with one
 * line, any other mismatch still refused; and hostile files refused before they make the reader allocate: 400
 * entries over one 32 MB range, a sparse file declaring a 6.4 GB tensor, non-finite weights, a torch.save zip.
 */
class WeightsTest {
    @TempDir
    Path dir;

    @Test
    void chineseEditionLeNetNamesAreMapped() throws Exception {
        Layer trained = LeNet.create(9);
        List<SafeTensors.Entry> zh = new ArrayList<>();
        for (var e : trained.namedParameters().entrySet()) {
            int dot = e.getKey().indexOf('.');
            String name = (Integer.parseInt(e.getKey().substring(0, dot)) + 1) + e.getKey().substring(dot);
            zh.add(SafeTensors.Entry.f32(name, e.getValue().data().shape(), e.getValue().data().toArray()));
        }
        Path file = dir.resolve("lenet-zh.safetensors");
        SafeTensors.write(file, zh, java.util.Map.of());
        Layer net = LeNet.create(0);
        List<String> notes = new ArrayList<>();
        Weights.load(Recipe.of("lenet"), net, file, notes::add);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("Chinese-edition LeNet names") && notes.get(0).contains("mapped to 0.weight ... 11.bias"), notes.get(0));
        for (var e : trained.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().data().toArray(), net.namedParameters().get(e.getKey()).data().toArray(), e.getKey());
        }
        // another net's names stay the plain error
        Path other = dir.resolve("nin.safetensors");
        SafeTensors.write(other, List.of(SafeTensors.Entry.f32("5.weight", new int[] {2}, new float[2])), java.util.Map.of());
        var ex = assertThrows(SafeTensorsException.class, () -> Weights.load(Recipe.of("lenet"), LeNet.create(0), other, notes::add));
        assertTrue(ex.getMessage().contains("missing [0.weight") && ex.getMessage().contains("unexpected [5.weight]"), ex.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefused() {
        Layer net = LeNet.create(1);
        net.namedParameters().get("3.weight").data().data()[17] = Float.NaN;
        Path file = dir.resolve("nan.safetensors");
        StateDict.save(net, file);
        var ex = assertThrows(SafeTensorsException.class, () -> StateDict.load(LeNet.create(0), file));
        assertTrue(ex.getMessage().contains("tensor '3.weight' holds NaN at index 17: refusing non-finite weights"), ex.getMessage());
    }

    @Test
    void entriesOverOneRangeAreRefusedBeforeReading() throws Exception {
        // 400 tensors all pointing at the same 32 MB: 12.8 GB if each were read
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < 400; i++) {
            h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[8388608],\"data_offsets\":[0,33554432]}");
        }
        Path file = write(h.append('}').toString(), 32L << 20, false);
        long before = used();
        var ex = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        assertTrue(ex.getMessage().contains("overlap"), ex.getMessage());
        assertTrue(used() - before < 64L << 20, "no tensor was read");
    }

    @Test
    void aSparseFileDeclaringGigabytesIsRefusedBeforeReading() throws Exception {
        Path file = write("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1600000000],\"data_offsets\":[0,6400000000]}}", 6_400_000_000L, true);
        assertTrue(Files.size(file) > 6_000_000_000L);
        var plain = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        assertTrue(plain.getMessage().contains("more than the 1073741824 this reader reads"), plain.getMessage());
        var forNet = assertThrows(SafeTensorsException.class, () -> StateDict.load(LeNet.create(0), file));
        assertTrue(forNet.getMessage().contains("does not fit the network's state_dict"), forNet.getMessage());
    }

    @Test
    void aTorchSaveZipIsNamed() throws Exception {
        Path file = dir.resolve("model.pt");
        Files.write(file, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0});
        var ex = assertThrows(SafeTensorsException.class, () -> StateDict.load(LeNet.create(0), file));
        assertTrue(ex.getMessage().contains("torch.save") && ex.getMessage().contains("safetensors.torch.save_file"), ex.getMessage());
    }

    // a safetensors header followed by `data` bytes of data (sparse: a hole, not written)
    private Path write(String header, long data, boolean sparse) throws Exception {
        Path file = dir.resolve("hostile-" + System.nanoTime() + ".safetensors");
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            f.write(h);
            if (sparse) f.setLength(8 + h.length + data);
            else f.write(new byte[(int) data]);
        }
        return file;
    }

    private static long used() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }
}
