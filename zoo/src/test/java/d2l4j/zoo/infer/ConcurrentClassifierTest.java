package d2l4j.zoo.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import d2l4j.layers.Layer;
import d2l4j.tensor.Backends;
import d2l4j.testkit.HashFill;
import d2l4j.zoo.Recipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One Classifier, many threads, no lock: 8 threads classify the same images at once, batch-1 calls (run on the
 * caller, Parallel.inline) mixed with batches of 3 (on the backend's pool), and every answer must be the bits the
 * same call gives on one thread alone; and an image's answer is the same bits alone, in a batch of 3 and of 12.
 */
class ConcurrentClassifierTest {

    @AfterAll
    static void restore() {
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "googlenet"})
    void manyThreadsGiveTheBitsOfOne(String name) throws Exception {
        Backends.use(Backends.open("cpu", 2));
        Recipe recipe = Recipe.of(name);
        Layer net = recipe.create(5);
        Classifier c = new Classifier(name, net, recipe.imageSide());
        int images = 12, len = 28 * 28;
        float[] all = HashFill.uniform(77, images * len, 1f);
        for (int i = 0; i < all.length; i++) all[i] = Math.abs(all[i]);
        float[][] one = new float[images][], three = new float[images / 3][];
        for (int i = 0; i < images; i++) one[i] = c.logits(java.util.Arrays.copyOfRange(all, i * len, (i + 1) * len), 1);
        for (int b = 0; b < images / 3; b++) three[b] = c.logits(java.util.Arrays.copyOfRange(all, b * 3 * len, (b + 1) * 3 * len), 3);
        // an image's answer does not depend on the batch it is in (what a server's micro-batches rely on)
        float[] twelve = c.logits(all, images);
        for (int i = 0; i < images; i++) {
            assertArrayEquals(one[i], java.util.Arrays.copyOfRange(twelve, i * 10, (i + 1) * 10), name + ": image " + i + " in a batch of 12");
            assertArrayEquals(one[i], java.util.Arrays.copyOfRange(three[i / 3], i % 3 * 10, i % 3 * 10 + 10), name + ": image " + i + " in a batch of 3");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            int rounds = name.equals("lenet") ? 40 : 3;
            for (int t = 0; t < 8; t++) {
                int thread = t;
                jobs.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        int i = (thread + r) % images;
                        assertArrayEquals(one[i], c.logits(java.util.Arrays.copyOfRange(all, i * len, (i + 1) * len), 1),
                                name + ": image " + i + " alone, thread " + thread);
                        int b = (thread + r) % (images / 3);
                        assertArrayEquals(three[b], c.logits(java.util.Arrays.copyOfRange(all, b * 3 * len, (b + 1) * 3 * len), 3),
                                name + ": batch " + b + ", thread " + thread);
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) f.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
