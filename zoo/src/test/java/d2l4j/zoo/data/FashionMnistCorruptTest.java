package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Corrupt copies of the real test-set files: every failure is a DataException naming the file,
 * where it went wrong, and expected versus found.
 */
class FashionMnistCorruptTest {

    private static final String LABELS = FashionMnist.TEST_LABELS;
    private static final String IMAGES = FashionMnist.TEST_IMAGES;

    /** Uncompressed real files: labels (10008 bytes), and the images file cut to its first 100 images. */
    private static byte[] labels;
    private static byte[] images100;
    private static byte[] labels100;

    @TempDir
    Path dir;

    @BeforeAll
    static void read() {
        RealData.assumeInstalled();
        labels = RealData.gunzip(RealData.DIR.resolve(LABELS));
        byte[] images = RealData.gunzip(RealData.DIR.resolve(IMAGES));
        images100 = Arrays.copyOf(images, 16 + 100 * 784);
        putInt(images100, 4, 100);
        labels100 = Arrays.copyOf(labels, 8 + 100);
        putInt(labels100, 4, 100);
    }

    @Test
    void smallValidSetLoads() throws IOException {
        write(LABELS, RealData.gzip(labels100));
        write(IMAGES, RealData.gzip(images100));
        FashionMnist d = FashionMnist.load(dir, false);
        assertEquals(100, d.size());
        assertEquals(9, d.label(0));
    }

    /** Cutting the real .gz file anywhere: either the gzip header or the data ends early. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 9, 10, 11, 100, 2000, 5100, 5117, 5124})
    void truncatedGzipLabels(int cut) throws IOException {
        byte[] gz = Files.readAllBytes(RealData.DIR.resolve(LABELS));
        write(LABELS, Arrays.copyOf(gz, cut));
        copyReal(IMAGES);
        String m = fail();
        assertTrue(m.startsWith(LABELS + ": "), m);
        if (cut < 2) {
            assertTrue(m.contains("not a gzip file: expected magic bytes 1f 8b at file offset 0"), m);
        } else if (cut < 10) {
            assertTrue(m.contains("not a valid gzip file"), m);
        } else if (cut >= gz.length - 8) {
            assertEquals(LABELS + ": truncated gzip file: the data is complete (10008 bytes) but the gzip trailer"
                    + " (CRC-32 and size) is cut off", m);
        } else {
            assertTrue(m.contains("byte offset"), m);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 1000, 1_000_000, 4_422_000})
    void truncatedGzipImages(int cut) throws IOException {
        byte[] gz = Files.readAllBytes(RealData.DIR.resolve(IMAGES));
        write(IMAGES, Arrays.copyOf(gz, cut));
        copyReal(LABELS);
        String m = fail();
        assertTrue(m.startsWith(IMAGES + ": "), m);
        assertTrue(m.contains("ends early (truncated gzip file?) at byte offset "), m);
        if (cut > 100) assertTrue(m.contains("expected 7840016 bytes"), m); // else the header is cut
    }

    /** A valid gzip stream whose IDX content stops early: the exact offset is known. */
    @Test
    void truncatedLabelData() throws IOException {
        write(LABELS, RealData.gzip(Arrays.copyOf(labels, 108)));
        copyReal(IMAGES);
        assertEquals(LABELS + ": data ends at byte offset 108 while reading the labels: expected 10008 bytes,"
                + " found 108 bytes", fail());
    }

    @Test
    void truncatedImageHeader() throws IOException {
        write(LABELS, RealData.gzip(labels100));
        write(IMAGES, RealData.gzip(Arrays.copyOf(images100, 10)));
        assertEquals(IMAGES + ": data ends at byte offset 10 while reading the row count: expected at least 12"
                + " bytes, found 10 bytes", fail());
    }

    @Test
    void truncatedPixels() throws IOException {
        write(LABELS, RealData.gzip(labels100));
        write(IMAGES, RealData.gzip(Arrays.copyOf(images100, 16 + 50 * 784 + 3)));
        assertEquals(IMAGES + ": data ends at byte offset 39219 while reading the pixels: expected 78416 bytes,"
                + " found 39219 bytes", fail());
    }

    @Test
    void flippedLabelMagic() throws IOException {
        byte[] u = labels100.clone();
        u[2] ^= 0x01; // 2049 = 0x00000801 -> 0x00000901 = 2305
        write(LABELS, RealData.gzip(u));
        write(IMAGES, RealData.gzip(images100));
        assertEquals(LABELS + ": wrong magic number at byte offset 0: expected 2049 (IDX labels: unsigned bytes,"
                + " 1 dimension), found 2305 (0x00000901)", fail());
    }

    @Test
    void imagesWhereLabelsBelong() throws IOException {
        write(LABELS, RealData.gzip(images100));
        write(IMAGES, RealData.gzip(images100));
        assertEquals(LABELS + ": wrong magic number at byte offset 0: expected 2049 (IDX labels: unsigned bytes,"
                + " 1 dimension), found 2051 (an images file)", fail());
    }

    @Test
    void flippedImageMagic() throws IOException {
        byte[] u = images100.clone();
        u[3] ^= 0x40; // 2051 = 0x803 -> 0x843 = 2115
        write(LABELS, RealData.gzip(labels100));
        write(IMAGES, RealData.gzip(u));
        assertEquals(IMAGES + ": wrong magic number at byte offset 0: expected 2051 (IDX images: unsigned bytes,"
                + " 3 dimensions), found 2115 (0x00000843)", fail());
    }

    @Test
    void label11() throws IOException {
        byte[] u = labels.clone();
        u[8 + 42] = 11;
        write(LABELS, RealData.gzip(u));
        copyReal(IMAGES);
        assertEquals(LABELS + ": label 11 at index 42 (byte offset 50) is outside 0-9", fail());
    }

    @Test
    void label200() throws IOException {
        byte[] u = labels100.clone();
        u[8 + 99] = (byte) 200;
        write(LABELS, RealData.gzip(u));
        write(IMAGES, RealData.gzip(images100));
        assertEquals(LABELS + ": label 200 at index 99 (byte offset 107) is outside 0-9", fail());
    }

    @Test
    void wrongRows() throws IOException {
        byte[] u = images100.clone();
        putInt(u, 8, 27);
        write(LABELS, RealData.gzip(labels100));
        write(IMAGES, RealData.gzip(u));
        assertEquals(IMAGES + ": row count at byte offset 8: expected 28, found 27", fail());
    }

    @Test
    void wrongCols() throws IOException {
        byte[] u = images100.clone();
        putInt(u, 12, 32);
        write(LABELS, RealData.gzip(labels100));
        write(IMAGES, RealData.gzip(u));
        assertEquals(IMAGES + ": column count at byte offset 12: expected 28, found 32", fail());
    }

    @Test
    void countsDiffer() throws IOException {
        write(LABELS, RealData.gzip(labels100));
        copyReal(IMAGES);
        assertEquals(IMAGES + ": image count at byte offset 4: expected 100 (the number of labels in "
                + LABELS + "), found 10000", fail());
    }

    @Test
    void notGzip() throws IOException {
        write(LABELS, labels100); // the raw IDX bytes, never compressed
        write(IMAGES, RealData.gzip(images100));
        assertEquals(LABELS + ": not a gzip file: expected magic bytes 1f 8b at file offset 0, found 00 00"
                + " (file size 108 bytes)", fail());
    }

    @Test
    void emptyFile() throws IOException {
        write(LABELS, new byte[0]);
        write(IMAGES, RealData.gzip(images100));
        assertEquals(LABELS + ": not a gzip file: expected magic bytes 1f 8b at file offset 0, found EOF EOF"
                + " (file size 0 bytes)", fail());
    }

    @Test
    void trailingData() throws IOException {
        byte[] u = Arrays.copyOf(labels100, labels100.length + 5);
        write(LABELS, RealData.gzip(u));
        write(IMAGES, RealData.gzip(images100));
        assertEquals(LABELS + ": unexpected data after byte offset 108: expected end of file after 108 bytes",
                fail());
    }

    /** A flipped bit in the compressed payload: inflate fails or the gzip CRC-32 does not match. */
    @Test
    void corruptCompressedData() throws IOException {
        byte[] gz = RealData.gzip(images100);
        gz[gz.length / 2] ^= 0x10;
        write(LABELS, RealData.gzip(labels100));
        write(IMAGES, gz);
        String m = fail();
        assertTrue(m.startsWith(IMAGES + ": "), m);
        assertTrue(m.contains("byte offset"), m);
    }

    @Test
    void corruptCrc() throws IOException {
        byte[] gz = RealData.gzip(labels100);
        gz[gz.length - 8] ^= 0x01; // first byte of the CRC-32 in the gzip trailer
        write(LABELS, gz);
        write(IMAGES, RealData.gzip(images100));
        String m = fail();
        assertTrue(m.startsWith(LABELS + ": corrupt gzip data at the end of the file (after byte offset 108"), m);
    }

    @Test
    void missingFile() {
        String m = fail();
        assertTrue(m.startsWith(LABELS + ": no such file: "), m);
    }

    private String fail() {
        return assertThrows(DataException.class, () -> FashionMnist.load(dir, false)).getMessage();
    }

    private void write(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }

    private void copyReal(String name) throws IOException {
        Files.copy(RealData.DIR.resolve(name), dir.resolve(name));
    }

    private static void putInt(byte[] a, int at, int v) {
        a[at] = (byte) (v >>> 24);
        a[at + 1] = (byte) (v >>> 16);
        a[at + 2] = (byte) (v >>> 8);
        a[at + 3] = (byte) v;
    }
}
