package d2l4j.tensor.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a safetensors file atomically: a temp file in the same folder, written, forced to disk (fsync),
 * renamed over the target (an atomic move where the file system has one), then the folder forced. A crash
 * or kill at any point leaves either the old file or the new one, never a mix. See {@link SafeTensors}.
 */
final class SafeTensorsWriter {
    private static final int CHUNK = 1 << 16;

    private SafeTensorsWriter() {}

    static void write(Path file, List<SafeTensors.Entry> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            Json.writeString(json, "__metadata__");
            json.append(":{");
            String sep = "";
            for (Map.Entry<String, String> kv : metadata.entrySet()) {
                json.append(sep);
                Json.writeString(json, kv.getKey());
                json.append(':');
                Json.writeString(json, kv.getValue());
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        Set<String> names = new HashSet<>();
        for (SafeTensors.Entry e : tensors) {
            if (!names.add(e.name())) {
                throw new SafeTensorsException(file, "two tensors named '" + e.name() + "'");
            }
            long end = offset + e.numel() * SafeTensors.width(e.dtype());
            json.append(json.length() > 1 ? "," : "");
            Json.writeString(json, e.name());
            int[] shape = e.shape();
            json.append(":{\"dtype\":\"").append(e.dtype()).append("\",\"shape\":[");
            for (int d = 0; d < shape.length; d++) {
                json.append(d > 0 ? "," : "").append(shape[d]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        // pad with spaces so the data buffer starts 8-aligned, as the reference writers do
        byte[] header = Arrays.copyOf(text, (text.length + 7) & ~7);
        Arrays.fill(header, text.length, header.length, (byte) ' ');
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            readableByAll(tmp); // createTempFile makes it owner-only (0600); weights are for sharing
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                writeFully(ch, len.putLong(header.length).flip());
                writeFully(ch, ByteBuffer.wrap(header));
                for (SafeTensors.Entry e : tensors) {
                    writeData(ch, e);
                }
                ch.force(true); // the bytes are on disk before the rename makes them the file
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new SafeTensorsException(file, "cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    private static void readableByAll(Path tmp) {
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: its default permissions apply
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux); elsewhere a no-op. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported here (e.g. Windows): the file itself was forced before the rename
        }
    }

    private static void writeData(FileChannel ch, SafeTensors.Entry e) throws IOException {
        int width = SafeTensors.width(e.dtype());
        int numel = (int) e.numel();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < numel; ) {
            int count = Math.min(CHUNK / width, numel - done);
            buf.clear();
            for (int i = done; i < done + count; i++) {
                switch (e.dtype()) {
                    case "F32" -> buf.putFloat(e.f32()[i]);
                    case "I64" -> buf.putLong(e.i64()[i]);
                    default -> buf.putInt((int) e.i64()[i]);
                }
            }
            writeFully(ch, buf.flip());
            done += count;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
