package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated Fashion-MNIST files (IDX inside gzip): mutations of the IDX bytes (bit flips,
 * truncations, header counts and dimensions set to extreme values) and of the gzip bytes. Loading must
 * succeed or throw DataException; never an ArrayIndexOutOfBounds, NegativeArraySize, OutOfMemoryError or
 * any other exception, and never a huge allocation from a corrupt count. Seeded.
 */
class IdxFuzzTest {
    static final int CASES = 3000, N = 12;
    @TempDir
    Path dir;

    static byte[] gzip(byte[] raw) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static byte[] labels() {
        ByteBuffer b = ByteBuffer.allocate(8 + N).putInt(FashionMnist.LABELS_MAGIC).putInt(N);
        for (int i = 0; i < N; i++) b.put((byte) (i % 10));
        return b.array();
    }

    static byte[] images() {
        ByteBuffer b = ByteBuffer.allocate(16 + N * 784).putInt(FashionMnist.IMAGES_MAGIC).putInt(N).putInt(28).putInt(28);
        for (int i = 0; i < N * 784; i++) b.put((byte) (i * 31));
        return b.array();
    }

    static final int[] EXTREME = {0, 1, -1, N - 1, N + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 2_739_000, 28, 27, 2049, 2051};

    static byte[] mutateRaw(byte[] src, SplittableRandom rnd) {
        switch (rnd.nextInt(3)) {
            case 0 -> {
                byte[] b = src.clone();
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(16, b.length)) : rnd.nextInt(b.length);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(src, rnd.nextInt(src.length + 8)); // shorter, or longer (zero-padded)
            }
            default -> {
                byte[] b = src.clone();
                int field = rnd.nextInt(Math.min(4, b.length / 4));
                ByteBuffer.wrap(b).putInt(field * 4, EXTREME[rnd.nextInt(EXTREME.length)]);
                return b;
            }
        }
    }

    static byte[] mutateGzip(byte[] gz, SplittableRandom rnd) {
        if (rnd.nextBoolean()) return Arrays.copyOf(gz, rnd.nextInt(gz.length));
        byte[] b = gz.clone();
        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        return b;
    }

    @Test
    void mutatedIdxFilesGiveOnlyDataExceptions() throws IOException {
        SplittableRandom rnd = new SplittableRandom(77);
        byte[] labels = labels(), images = images();
        int loaded = 0, rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] l = labels, im = images;
            boolean hitLabels = rnd.nextBoolean();
            boolean onGzip = rnd.nextInt(4) == 0;
            byte[] lgz, imgz;
            if (onGzip) {
                lgz = hitLabels ? mutateGzip(gzip(l), rnd) : gzip(l);
                imgz = hitLabels ? gzip(im) : mutateGzip(gzip(im), rnd);
            } else {
                if (hitLabels) l = mutateRaw(l, rnd);
                else im = mutateRaw(im, rnd);
                lgz = gzip(l);
                imgz = gzip(im);
            }
            Files.write(dir.resolve(FashionMnist.TEST_LABELS), lgz);
            Files.write(dir.resolve(FashionMnist.TEST_IMAGES), imgz);
            try {
                FashionMnist.load(dir, false);
                loaded++;
            } catch (DataException e) {
                assertTrue(e.getMessage().startsWith("t10k-"), e.getMessage());
                rejected++;
            } catch (Throwable t) {
                fail("case " + i + " (" + (hitLabels ? "labels" : "images") + (onGzip ? ", gzip bytes" : ", IDX bytes")
                        + "): " + t, t);
            }
        }
        System.out.printf("IDX fuzz: %d mutants, %d loaded, %d rejected with DataException%n", CASES, loaded, rejected);
        assertTrue(rejected > CASES / 2, "most mutants must be rejected, got " + rejected);
    }
}
