package d2l4j.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the OpenCL backend keeps what it learned about a device between runs: compiled program binaries
 * and the tuner's choice of tile, in {@code <cache>/opencl/}, where {@code <cache>} is the system
 * property {@code d2l4j.cache}, else {@code $D2L4J_CACHE}, else {@code $XDG_CACHE_HOME/d2l4j}, else
 * {@code ~/.cache/d2l4j}. Entries are named by a SHA-256 of what they depend on (device, driver, source,
 * options), written atomically (temporary file, then rename), and read with a size limit: a damaged or
 * hostile entry is ignored and rebuilt, never trusted blindly. A cache that cannot be written only costs
 * time.
 */
final class DiskCache {
    /** Program binaries of every kernel for one device are a few MB; anything much bigger is not ours. */
    static final long MAX_ENTRY = 256L << 20;

    private final Path dir;

    DiskCache(Path dir) {
        this.dir = dir;
    }

    static DiskCache standard() {
        String prop = System.getProperty("d2l4j.cache"), env = System.getenv("D2L4J_CACHE"), xdg = System.getenv("XDG_CACHE_HOME");
        Path base = prop != null ? Path.of(prop) : env != null ? Path.of(env)
                : xdg != null ? Path.of(xdg, "d2l4j") : Path.of(System.getProperty("user.home"), ".cache", "d2l4j");
        return new DiskCache(base.resolve("opencl"));
    }

    Path dir() {
        return dir;
    }

    static String key(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entry's bytes, or null when absent, unreadable or larger than {@link #MAX_ENTRY}. */
    byte[] get(String name) {
        Path f = dir.resolve(name);
        try {
            if (!Files.isRegularFile(f) || Files.size(f) > MAX_ENTRY) return null;
            return Files.readAllBytes(f);
        } catch (IOException e) {
            return null;
        }
    }

    /** Stores an entry atomically; returns false (and leaves no partial file) when that is not possible. */
    boolean put(String name, byte[] value) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            try {
                Files.write(tmp, value);
                try {
                    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
