package d2l4j.zoo.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import d2l4j.layers.StateDict;
import d2l4j.zoo.Recipe;
import d2l4j.zoo.data.FashionMnist;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inference API: many threads on one model, inputs of every accepted kind, errors for the others. */
class ClassifierTest {
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    @TempDir
    Path dir;

    static FashionMnist testSet() {
        assumeTrue(Files.isRegularFile(DATA.resolve(FashionMnist.TEST_IMAGES)), "Fashion-MNIST not installed in " + DATA);
        return FashionMnist.load(DATA, false);
    }

    /** Images [from, from + n) of the set as floats in [0, 1], as the data loader makes them. */
    static float[] images(FashionMnist set, int from, int n) {
        float[] out = new float[n * FashionMnist.PIXELS];
        byte[] px = set.pixels();
        for (int i = 0; i < out.length; i++) out[i] = (px[from * FashionMnist.PIXELS + i] & 0xff) / 255f;
        return out;
    }

    private Classifier lenet() {
        Path w = dir.resolve("lenet.safetensors");
        StateDict.save(Recipe.of("lenet").create(7), w);
        return Classifier.load("lenet", w);
    }

    @Test
    void eightThreadsOnOneModelGiveTheSingleThreadedAnswers() throws Exception {
        FashionMnist set = testSet();
        Classifier c = lenet();
        int chunk = 100, chunks = set.size() / chunk;
        // Warm up first: the Vector API kernels' sigmoid (lanewise EXP) gives different last bits in
        // interpreted and in compiled code, so only answers from warm code are comparable bit for bit.
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < chunks; k++) {
                c.classify(images(set, k * chunk, chunk), chunk);
                if (k % 5 == 0) oneByOne(c, set, k * chunk, chunk);
            }
        }
        List<List<Prediction>> single = new ArrayList<>();
        List<List<Prediction>> singleOneByOne = new ArrayList<>();
        for (int k = 0; k < chunks; k++) {
            single.add(c.classify(images(set, k * chunk, chunk), chunk));
            // a batch's last bits may depend on its size (kernel blocking), so images sent one at a time
            // are compared with images sent one at a time
            singleOneByOne.add(k % 5 == 0 ? oneByOne(c, set, k * chunk, chunk) : null);
        }

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            // the test set twice over, each thread in its own order, single images mixed in
            for (int t = 0; t < 8; t++) {
                int thread = t;
                for (int k = 0; k < chunks / 4; k++) {
                    int chunkIndex = (k * 4 + thread / 2 + thread * 13) % chunks;
                    futures.add(pool.submit(() -> thread % 2 == 0 && chunkIndex % 5 == 0
                            ? oneByOne(c, set, chunkIndex * chunk, chunk)
                            : c.classify(images(set, chunkIndex * chunk, chunk), chunk)));
                }
            }
            for (int t = 0; t < 8; t++) {
                for (int k = 0; k < chunks / 4; k++) {
                    int chunkIndex = (k * 4 + t / 2 + t * 13) % chunks;
                    List<Prediction> got = futures.get(t * (chunks / 4) + k).get();
                    List<Prediction> want = t % 2 == 0 && chunkIndex % 5 == 0
                            ? singleOneByOne.get(chunkIndex) : single.get(chunkIndex);
                    for (int i = 0; i < chunk; i++) {
                        assertArrayEquals(want.get(i).probabilities(), got.get(i).probabilities(), 0f,
                                "image " + (chunkIndex * chunk + i) + " on thread " + t);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Batch answers per image must not depend on the batch: classify one image at a time. */
    private static List<Prediction> oneByOne(Classifier c, FashionMnist set, int from, int n) {
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(c.classify(images(set, from + i, 1)));
        return out;
    }

    @Test
    void bufferedImagesAndResizingFollowTheTrainingPath() {
        FashionMnist set = testSet();
        Classifier c = lenet();
        float[] x = images(set, 0, 1);
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 784; i++) {
            int p = set.pixels()[i] & 0xff;
            rgb.setRGB(i % 28, i / 28, p << 16 | p << 8 | p);
            gray.getRaster().setSample(i % 28, i / 28, 0, p);
        }
        Prediction want = c.classify(x);
        assertEquals(want, c.classify(rgb));
        assertEquals(want, c.classify(gray));
        assertEquals(want, c.classify(x, 1, 28, 28));
        float sum = 0;
        for (float p : want.probabilities()) sum += p;
        assertEquals(1f, sum, 1e-5f);
        assertEquals(3, want.top(3).size());
        assertEquals(want.top(), want.top(3).get(0).index());
        assertEquals(FashionMnist.TEXT_LABELS[want.top()], want.topLabel());

        // GoogLeNet takes 96×96: a 28×28 image is resized exactly as the training loader does
        Path w = dir.resolve("googlenet.safetensors");
        StateDict.save(Recipe.of("googlenet").create(1), w);
        Classifier g = Classifier.load("googlenet", w);
        assertEquals(96, g.imageSide());
        float[] big = new float[96 * 96];
        new d2l4j.tensor.Resize(28, 96).apply(x, 0, big, 0);
        assertEquals(g.classify(big), g.classify(x));
        assertEquals(g.classify(big), g.classify(rgb));
    }

    @Test
    void wrongSizesAndChannelsSayWhatTheNetExpects() {
        Classifier c = lenet();
        var e = assertThrows(IllegalArgumentException.class, () -> c.classify(new float[100]));
        assertEquals("lenet expects 1 image of 1x28x28 (784 floats), got 100 floats", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.classify(new float[3 * 784]));
        assertTrue(e.getMessage().contains("3 channels? the net takes 1 (grayscale)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.classify(new float[3 * 784], 3, 28, 28));
        assertEquals("lenet expects images of 1x28x28 (channels x height x width), got 3x28x28", e.getMessage());
        BufferedImage wide = new BufferedImage(30, 28, BufferedImage.TYPE_INT_RGB); // centre-cropped, or refused on request
        assertEquals(c.classify(Classifier.grayscale(wide.getSubimage(1, 0, 28, 28), 28)), c.classify(wide));
        e = assertThrows(IllegalArgumentException.class, () -> Classifier.grayscale(wide, 28, false));
        assertTrue(e.getMessage().contains("expected a square image"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.classify(new float[5 * 784], 4));
        assertTrue(e.getMessage().startsWith("lenet expects 4 images of 1x28x28 (3136 floats)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Classifier.load("resnet", dir.resolve("x")));
        assertTrue(e.getMessage().contains("unknown net \"resnet\""), e.getMessage());
        // any square size is accepted for pictures: resized bilinearly to the net's side
        assertEquals(10, c.classify(new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB)).probabilities().length);
        assertTrue(Arrays.asList(FashionMnist.TEXT_LABELS).equals(c.labels()));
    }
}
