package d2l4j.bench;

import d2l4j.tensor.Backends;
import d2l4j.testkit.HashFill;
import d2l4j.zoo.Recipe;
import d2l4j.zoo.infer.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service's load on one loaded model: T threads each classify one image at a time (batch-1 calls) for a few
 * seconds; prints calls per second for each T and its ratio to one thread's, after checking that every thread
 * got the bits one thread gets.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar d2l4j.bench.ClassifierThreads lenet 5 1 2 4 8
 * </pre>
 */
public final class ClassifierThreads {
    private ClassifierThreads() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        String net = args.length > 0 ? args[0] : "lenet";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        List<Integer> counts = new ArrayList<>();
        for (int i = 2; i < args.length; i++) counts.add(Integer.parseInt(args[i]));
        if (counts.isEmpty()) counts = List.of(1, 2, 4, 8);
        Backends.use(Backends.open("cpu", Runtime.getRuntime().availableProcessors()));
        Recipe recipe = Recipe.of(net);
        Classifier c = new Classifier(recipe.name(), recipe.create(1), recipe.imageSide());
        float[] image = HashFill.uniform(3, 28 * 28, 1f);
        for (int i = 0; i < image.length; i++) image[i] = Math.abs(image[i]);
        float[] expected = c.logits(image, 1);
        for (int i = 0; i < 200; i++) c.logits(image, 1); // warm-up
        double base = 0;
        System.out.println("net " + net + ", batch-1 calls, " + Backends.current().name() + ", " + seconds + " s per thread count");
        for (int threads : counts) {
            AtomicLong calls = new AtomicLong();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            List<Thread> ts = new ArrayList<>();
            String[] wrong = new String[1];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        float[] z = c.logits(image, 1);
                        if (!java.util.Arrays.equals(z, expected)) wrong[0] = "different bits on " + Thread.currentThread().getName();
                        calls.incrementAndGet();
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) th.join();
            double perSecond = calls.get() / ((System.nanoTime() - t0) / 1e9);
            if (base == 0) base = perSecond;
            System.out.printf("%d threads: %.0f calls/s, %.2fx one thread%s%n", threads, perSecond, perSecond / base,
                    wrong[0] == null ? "" : " (" + wrong[0] + ")");
            if (wrong[0] != null) System.exit(1);
        }
    }
}
