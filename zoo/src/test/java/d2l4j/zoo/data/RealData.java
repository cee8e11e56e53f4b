package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The installed Fashion-MNIST (Debian's dataset-fashion-mnist) and byte helpers for the tests. */
final class RealData {

    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private RealData() {
    }

    /** Skips the calling test, with the reason shown, when the data set is not installed. */
    static void assumeInstalled() {
        boolean all = FashionMnist.FILE_NAMES.stream().allMatch(f -> Files.isRegularFile(DIR.resolve(f)));
        assumeTrue(all, "Fashion-MNIST not installed in " + DIR + " (apt-get install dataset-fashion-mnist)");
    }

    static byte[] gunzip(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gzip at the fastest level: the tests rewrite megabytes and want to stay quick. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String md5(Path file) {
        try {
            return md5(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
