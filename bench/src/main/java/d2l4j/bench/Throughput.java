package d2l4j.bench;

import d2l4j.tensor.Backends;
import d2l4j.zoo.LeNet;
import java.util.Locale;

/**
 * Training throughput of LeNet (batch 256) at the given thread counts, measured like
 * bench/scripts/lenet_pytorch.py so the two can be compared side by side:
 * {@code java --add-modules jdk.incubator.vector -cp ... d2l4j.bench.Throughput [--reference] 1 2}.
 * Prints {@code d2l4j lenet train threads=N: X examples/sec}.
 */
public final class Throughput {
    private Throughput() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        boolean reference = false;
        int warmup = 40, steps = 150;
        java.util.List<Integer> threads = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.equals("--reference")) reference = true;
            else if (a.startsWith("--steps=")) steps = Integer.parseInt(a.substring(8));
            else threads.add(Integer.parseInt(a));
        }
        if (threads.isEmpty()) threads = java.util.List.of(1, 2);
        for (int t : threads) {
            Backends.use(Backends.open(reference ? "cpu:reference" : "cpu", t));
            TrainStep step = new TrainStep(LeNet.create(0), 256, LeNet.INPUT, 0.9f);
            float sink = 0;
            for (int i = 0; i < warmup; i++) sink += step.run();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) sink += step.run();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("d2l4j lenet train threads=%d: %.0f examples/sec (%s; loss checksum %.3f)%n",
                    t, steps * step.batch() / secs, Backends.current().name(), sink);
        }
    }
}
