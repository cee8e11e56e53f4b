package d2l4j.bench;

import d2l4j.kernels.CpuBackend;
import d2l4j.kernels.CpuKernels;
import d2l4j.layers.Layer;
import d2l4j.tensor.Backend;
import d2l4j.tensor.BackendProvider;
import d2l4j.tensor.Backends;
import d2l4j.zoo.AlexNet;
import d2l4j.zoo.GoogLeNet;
import d2l4j.zoo.LeNet;
import d2l4j.zoo.NiN;
import d2l4j.zoo.Vgg;
import java.util.Locale;

/**
 * Training-step throughput of the zoo's nets on a device, as d2l times it (forward, loss, backward, SGD):
 * {@code java ... d2l4j.bench.DeviceThroughput <cpu|opencl|opencl:N> <net,...|all> [batch|d2l] [steps]}.
 * Prints one line per net: {@code <device> <net> batch B: X images/s}. Used by bench/gpu/device.sh.
 */
public final class DeviceThroughput {
    private DeviceThroughput() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        String device = args.length > 0 ? args[0] : "cpu";
        String nets = args.length > 1 ? args[1] : "all";
        String batchArg = args.length > 2 ? args[2] : "d2l";
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Backends.use(open(device));
        for (String net : (nets.equals("all") ? "lenet,alexnet,vgg,nin,googlenet" : nets).split(",")) {
            int d2lBatch = net.equals("lenet") ? 256 : 128;
            int batch = batchArg.equals("d2l") ? d2lBatch : Integer.parseInt(batchArg);
            int side = switch (net) {
                case "lenet" -> 28;
                case "googlenet" -> 96;
                default -> 224;
            };
            Layer model = switch (net) {
                case "lenet" -> LeNet.create(0);
                case "alexnet" -> AlexNet.create(0);
                case "vgg" -> Vgg.create(0);
                case "nin" -> NiN.create(0);
                case "googlenet" -> GoogLeNet.create(0);
                default -> throw new IllegalArgumentException("unknown net " + net);
            };
            model.toDevice();
            TrainStep step = new TrainStep(model, batch, new int[] {1, side, side}, 0.01f);
            float sink = step.run() + step.run(); // warm-up: kernel compilation, allocation
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) sink += step.run();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s %s batch %d: %.1f images/s (%d steps, loss checksum %.3f)%n", Backends.current().name(),
                    net, batch, steps * batch / secs, steps, sink);
        }
    }

    static Backend open(String device) {
        if (device.equals("cpu")) return new CpuBackend(CpuKernels.best(), Runtime.getRuntime().availableProcessors());
        int index = device.startsWith("opencl:") ? Integer.parseInt(device.substring(7)) : 0;
        BackendProvider p = BackendProvider.find("opencl");
        if (p == null) throw new IllegalStateException("kernels-opencl is not on the class path");
        return p.open(index);
    }
}
