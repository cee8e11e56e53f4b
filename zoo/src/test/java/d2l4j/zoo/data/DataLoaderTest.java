package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Synthetic data: pixel k of image i is (i * 7 + k) mod 256, its label i mod 10. */
class DataLoaderTest {

    private static final int N = 103;
    private static final FashionMnist DATA = synthetic(N);

    private static FashionMnist synthetic(int n) {
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            for (int k = 0; k < 784; k++) pixels[i * 784 + k] = (byte) ((i * 7 + k) % 256);
        }
        return new FashionMnist(pixels, labels);
    }

    /** The image index a batch image came from, recovered from its first pixel and checked whole. */
    private static int sourceIndex(Batch b, int n) {
        int[] candidates = new int[0];
        for (int i = 0; i < N; i++) {
            if (i % 10 == b.labels()[n] && (i * 7) % 256 == Math.round(b.images()[n * 784] * 255f)) {
                candidates = Arrays.copyOf(candidates, candidates.length + 1);
                candidates[candidates.length - 1] = i;
            }
        }
        assertEquals(1, candidates.length, "ambiguous synthetic image");
        int i = candidates[0];
        for (int k = 0; k < 784; k++) {
            assertEquals(((i * 7 + k) % 256) / 255f, b.images()[n * 784 + k], "pixel " + k + " of image " + i);
        }
        return i;
    }

    private static List<Integer> visit(DataLoader loader, int epoch) {
        List<Integer> seen = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            for (int n = 0; n < b.size(); n++) seen.add(sourceIndex(b, n));
        }
        return seen;
    }

    @Test
    void batchesAndLastPartialBatch() {
        DataLoader loader = new DataLoader(DATA, 32, true, 1);
        assertEquals(4, loader.batchesPerEpoch());
        List<Integer> sizes = new ArrayList<>();
        for (Batch b : loader.epoch(0)) {
            sizes.add(b.size());
            assertEquals(b.size() * 784, b.images().length);
            assertEquals(b.size(), b.labels().length);
            assertEquals(784, b.imageLength());
        }
        assertEquals(List.of(32, 32, 32, 7), sizes);
        assertEquals(1, new DataLoader(DATA, 103, false, 0).batchesPerEpoch());
        assertEquals(103, new DataLoader(DATA, 1, false, 0).batchesPerEpoch());
        assertEquals(1, new DataLoader(DATA, 1000, false, 0).batchesPerEpoch());
    }

    @Test
    void everyIndexOncePerEpoch() {
        DataLoader loader = new DataLoader(DATA, 10, true, 42);
        for (int e = 0; e < 3; e++) {
            List<Integer> seen = visit(loader, e);
            assertEquals(N, seen.size());
            int[] sorted = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
            for (int i = 0; i < N; i++) assertEquals(i, sorted[i]);
            assertArrayEquals(loader.order(e), seen.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void sameSeedSameOrderOtherEpochOtherOrder() {
        DataLoader a = new DataLoader(DATA, 16, true, 7);
        DataLoader b = new DataLoader(DATA, 16, true, 7);
        assertEquals(visit(a, 0), visit(b, 0));
        assertArrayEquals(a.order(5), b.order(5));
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
        assertFalse(Arrays.equals(a.order(1), a.order(2)));
        assertFalse(Arrays.equals(a.order(0), new DataLoader(DATA, 16, true, 8).order(0)));
        // epoch 3's order does not depend on whether epochs 0-2 were iterated
        assertArrayEquals(new DataLoader(DATA, 16, true, 7).order(3), a.order(3));
    }

    @Test
    void fisherYatesFromSplittableRandom() {
        // the documented recipe, spelled out: SplittableRandom(seed * 1000003 + e), i from n-1 down to 1
        int[] expected = new int[N];
        for (int i = 0; i < N; i++) expected[i] = i;
        var rnd = new java.util.SplittableRandom(9L * 1000003L + 4);
        for (int i = N - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertArrayEquals(expected, new DataLoader(DATA, 8, true, 9).order(4));
    }

    @Test
    void noShuffleIsInOrder() {
        DataLoader loader = new DataLoader(DATA, 25, false, 123);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < N; i++) expected.add(i);
        assertEquals(expected, visit(loader, 0));
        assertEquals(expected, visit(loader, 1));
    }

    @Test
    void scalingIsPixelOver255() {
        byte[] pixels = new byte[2 * 784];
        for (int k = 0; k < 2 * 784; k++) pixels[k] = (byte) k;
        DataLoader loader = new DataLoader(new FashionMnist(pixels, new byte[] {3, 8}), 2, false, 0);
        Batch b = loader.epoch(0).iterator().next();
        for (int k = 0; k < 2 * 784; k++) assertEquals((k & 0xff) / 255f, b.images()[k]);
        assertEquals(0f, b.images()[0]);
        assertEquals(1f, b.images()[255]);
        assertArrayEquals(new int[] {3, 8}, b.labels());
    }

    @Test
    void limitUsesFirstImagesOnly() {
        DataLoader loader = new DataLoader(DATA, 4, true, 3, 10);
        assertEquals(10, loader.size());
        assertEquals(3, loader.batchesPerEpoch());
        List<Integer> seen = visit(loader, 0);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen.stream().sorted().toList());
        List<Integer> sizes = new ArrayList<>();
        for (Batch b : loader.epoch(1)) sizes.add(b.size());
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(0, new DataLoader(DATA, 4, true, 3, 0).batchesPerEpoch());
        assertFalse(new DataLoader(DATA, 4, true, 3, 0).epoch(0).iterator().hasNext());
    }

    @Test
    void reusedBuffersGiveTheSameData() {
        DataLoader loader = new DataLoader(DATA, 32, true, 5);
        Iterator<Batch> fresh = loader.epoch(2).iterator();
        Iterator<Batch> reused = loader.epochReusingBuffers(2).iterator();
        float[] firstBuffer = null;
        while (fresh.hasNext()) {
            Batch f = fresh.next();
            Batch r = reused.next();
            if (firstBuffer == null) firstBuffer = r.images();
            assertSame(firstBuffer, r.images());
            assertEquals(f.size(), r.size());
            assertArrayEquals(f.images(), Arrays.copyOf(r.images(), f.size() * 784));
            assertArrayEquals(f.labels(), Arrays.copyOf(r.labels(), f.size()));
        }
        assertFalse(reused.hasNext());
        assertThrows(NoSuchElementException.class, reused::next);
    }

    @Test
    void badArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(DATA, 0, true, 1));
        assertEquals("DataLoader: batch size must be positive, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(DATA, 8, true, 1, 104));
        assertEquals("DataLoader: limit must be within 0-103 (the data set's size), got 104", e.getMessage());
    }

    @Test
    void realTestSetBatches() {
        RealData.assumeInstalled();
        FashionMnist test = FashionMnist.load(RealData.DIR, false);
        DataLoader loader = new DataLoader(test, 256, false, 0);
        assertEquals(40, loader.batchesPerEpoch());
        int count = 0;
        int last = 0;
        for (Batch b : loader.epoch(0)) {
            count += b.size();
            last = b.size();
        }
        assertEquals(10000, count);
        assertEquals(10000 - 39 * 256, last);
        Batch first = loader.epoch(0).iterator().next();
        assertEquals(9, first.labels()[0]);
        float sum = 0;
        for (int k = 0; k < 784; k++) sum += first.images()[k] * 255f;
        assertEquals(33456f, sum, 0.01f);
        assertTrue(first.images()[14 * 28 + 25] > 0f);
        assertNotEquals(0, first.labels()[1]);
    }
}
