package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the real files. Expected values were computed independently with Python:
 * <pre>
 * u = gzip.decompress(open(name, 'rb').read()); px = u[16:]; lb = u[8:]
 * sum(px), zlib.crc32(px), sum(px[:784]), list(lb[:10]), [lb.count(i) for i in range(10)]
 * </pre>
 */
class FashionMnistTest {

    private static FashionMnist train;
    private static FashionMnist test;

    @BeforeAll
    static void load() {
        RealData.assumeInstalled();
        train = FashionMnist.load(RealData.DIR, true);
        test = FashionMnist.load(RealData.DIR, false);
    }

    @Test
    void counts() {
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals(60000 * 784, train.pixels().length);
        assertEquals(10000 * 784, test.pixels().length);
    }

    @Test
    void balancedClasses() {
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000},
                histogram(train.labels()));
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000},
                histogram(test.labels()));
    }

    @Test
    void firstLabels() {
        assertArrayEquals(new byte[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, java.util.Arrays.copyOf(train.labels(), 10));
        assertArrayEquals(new byte[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, java.util.Arrays.copyOf(test.labels(), 10));
        assertEquals("ankle boot", FashionMnist.textLabel(train.label(0)));
        assertEquals("pullover", FashionMnist.textLabel(test.label(1)));
    }

    @Test
    void pixelChecksums() {
        assertEquals(3431114169L, unsignedSum(train.pixels(), 0, train.pixels().length));
        assertEquals(573469082L, unsignedSum(test.pixels(), 0, test.pixels().length));
        assertEquals(2925911245L, crc(train.pixels()));
        assertEquals(309494841L, crc(test.pixels()));
        assertEquals(76247L, unsignedSum(train.pixels(), 0, 784));
        assertEquals(33456L, unsignedSum(test.pixels(), 0, 784));
        // row 14 of training image 0, pixels (14, 12) and (14, 25)
        assertEquals(237, train.pixels()[14 * 28 + 12] & 0xff);
        assertEquals(255, train.pixels()[14 * 28 + 25] & 0xff);
    }

    @Test
    void textLabels() {
        assertArrayEquals(new String[] {"t-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot"}, FashionMnist.TEXT_LABELS);
    }

    @Test
    void inMemoryConstructorChecksShapesAndLabels() {
        assertEquals(2, new FashionMnist(new byte[2 * 784], new byte[] {0, 9}).size());
        assertThrows(IllegalArgumentException.class, () -> new FashionMnist(new byte[783], new byte[1]));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new FashionMnist(new byte[2 * 784], new byte[] {0, 10}));
        assertEquals("FashionMnist: label 10 at index 1 is outside 0-9", e.getMessage());
    }

    private static int[] histogram(byte[] labels) {
        int[] h = new int[10];
        for (byte b : labels) h[b]++;
        return h;
    }

    private static long unsignedSum(byte[] a, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) s += a[i] & 0xff;
        return s;
    }

    private static long crc(byte[] a) {
        CRC32 c = new CRC32();
        c.update(a);
        return c.getValue();
    }
}
