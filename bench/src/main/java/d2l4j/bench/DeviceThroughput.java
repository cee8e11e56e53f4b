package d2l4j.bench;

import d2l4j.layers.Layer;
import d2l4j.opencl.OpenClBackend;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.DeviceCounters;
import d2l4j.zoo.Recipe;
import java.util.Locale;

/**
 * Training and inference throughput of the zoo's nets on a device, the way the training loop runs them
 * (the batch goes up as bytes, everything else stays on the device, the metrics are read once at the end):
 * {@code java ... d2l4j.bench.DeviceThroughput <cpu|opencl|opencl:N> <net,...|all> [batch|d2l] [steps]}.
 * Per net: images/s for training steps and for inference batches, what one steady step did (launches,
 * allocations, bytes up and down, waits) and, on OpenCL, the per-kernel time table of the timed training
 * steps (OpenCL profiling events are on for this: the figures include their small cost). Used by
 * bench/gpu/device.sh.
 */
public final class DeviceThroughput {
    private DeviceThroughput() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        String device = args.length > 0 ? args[0] : "cpu";
        String nets = args.length > 1 ? args[1] : "all";
        String batchArg = args.length > 2 ? args[2] : "d2l";
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        System.setProperty(OpenClBackend.PROFILE_PROPERTY, "true"); // the per-kernel table
        Backend backend = Backends.open(device, Runtime.getRuntime().availableProcessors());
        Backends.use(backend);
        for (String net : (nets.equals("all") ? "lenet,alexnet,vgg,nin,googlenet" : nets).split(",")) {
            Recipe recipe = Recipe.of(net);
            int batch = batchArg.equals("d2l") ? recipe.batchSize() : Integer.parseInt(batchArg);
            Layer model = recipe.create(0);
            model.toDevice();
            TrainStep step = new TrainStep(model, batch, recipe.input(), 0.01f);
            step.runResident(); // warm-up: kernels, the pool's first buffers
            step.runResident();
            backend.sync();
            DeviceCounters c0 = backend.counters();
            step.runResident();
            DeviceCounters one = backend.counters().minus(c0);
            backend.sync();
            if (backend instanceof OpenClBackend cl) cl.resetProfile();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) step.runResident();
            backend.sync();
            double train = steps * batch / ((System.nanoTime() - t0) / 1e9);
            String table = backend instanceof OpenClBackend cl ? cl.profileTable() : "";
            step.inferResident();
            backend.sync();
            long t1 = System.nanoTime();
            for (int i = 0; i < steps; i++) step.inferResident();
            backend.sync();
            double infer = steps * batch / ((System.nanoTime() - t1) / 1e9);
            System.out.printf("%s %s batch %d: train %.1f images/s, inference %.1f images/s (%d steps each; checksum %.3f)%n",
                    backend.name(), net, batch, train, infer, steps, step.checksum());
            System.out.printf("  one steady training step: %s%n", one);
            if (!table.isEmpty()) System.out.print(table.indent(2));
        }
    }

}
