package d2l4j.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import d2l4j.layers.Layer;
import d2l4j.tensor.Backends;
import d2l4j.zoo.AlexNet;
import d2l4j.zoo.GoogLeNet;
import d2l4j.zoo.LeNet;
import d2l4j.zoo.NiN;
import d2l4j.zoo.Vgg;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Heap needs and speed of training steps of one net at d2l's batch size:
 * {@code java ... d2l4j.bench.PeakMemory <net> [steps] [threads] [batch]} (batch: d2l's by default). Reported
 * first: the heap's occupancy after full collections at the end of a forward pass (every saved activation
 * and the previous step's gradients live: the step's fullest moment, up to the backward pass's temporaries). Reported: the largest heap occupancy
 * just after a garbage collection (what was still live then: the memory a step needs, up to the garbage
 * made since the last collection), and how full the heap got before collections (bounded by the maximum
 * heap, so it only shows that the default heap was enough); the steps are timed after one warm-up step.
 */
public final class PeakMemory {
    private PeakMemory() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        String name = args.length > 0 ? args[0] : "lenet";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        AtomicLong peak = new AtomicLong(), live = new AtomicLong();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0, after = 0;
                for (MemoryUsage u : info.getGcInfo().getMemoryUsageBeforeGc().values()) used += u.getUsed();
                for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) after += u.getUsed();
                peak.accumulateAndGet(used, Math::max);
                live.accumulateAndGet(after, Math::max);
            }, null, null);
        }
        Backends.use(Backends.open("cpu", threads));
        Layer net;
        int batch = 128, side;
        switch (name) {
            case "lenet" -> { net = LeNet.create(0); batch = 256; side = 28; }
            case "alexnet" -> { net = AlexNet.create(0); side = 224; }
            case "vgg" -> { net = Vgg.create(0); side = 224; }
            case "nin" -> { net = NiN.create(0); side = 224; }
            case "googlenet" -> { net = GoogLeNet.create(0); side = 96; }
            default -> throw new IllegalArgumentException("unknown net " + name);
        }
        if (args.length > 3 && Integer.parseInt(args[3]) > 0) batch = Integer.parseInt(args[3]);
        TrainStep step = new TrainStep(net, batch, new int[] {1, side, side}, 0.01f);
        step.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) step.run();
        double secs = (System.nanoTime() - t0) / 1e9;
        long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long max = Math.max(peak.get(), now);
        // what is really live at the step's fullest moment: full collections there, then the heap's occupancy
        long[] atPeak = new long[1];
        step.run(() -> {
            System.gc();
            System.gc();
            atPeak[0] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        });
        System.out.printf("%s batch %d, %d threads: live after the forward pass %.0f MiB (full GC there), largest heap "
                        + "after a GC %.0f MiB, heap filled to %.0f MiB (max heap %.0f MiB), %.1f images/s over %d steps (%s)%n",
                name, batch, threads, atPeak[0] / 1048576.0, live.get() / 1048576.0, max / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0, steps * batch / secs, steps, Backends.current().name());
    }
}
