package d2l4j.bench;

import d2l4j.opencl.OpenClBackend;
import d2l4j.tensor.Tensor;
import d2l4j.testkit.HashFill;
import java.util.Locale;

/**
 * SGEMM throughput of the OpenCL backend, C = A·B on n×n×n device matrices, best of a few runs after a
 * warm-up: {@code java ... d2l4j.bench.DeviceGemm [opencl:N] [n,n,...]} (default 1024,2048,4096,8192).
 * Prints the tile the tuner chose and GFLOPS per size. Used by bench/gpu/device.sh.
 */
public final class DeviceGemm {
    private DeviceGemm() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        int index = args.length > 0 && args[0].startsWith("opencl:") ? Integer.parseInt(args[0].substring(7)) : 0;
        String sizes = args.length > 1 ? args[1] : "1024,2048,4096,8192";
        OpenClBackend cl = OpenClBackend.open(index, false, System.getenv("D2L4J_OPENCL_TILE"));
        System.out.printf("%s: tile %s (of %s)%n", cl.name(), cl.tile(), cl.tiles());
        for (String s : sizes.split(",")) {
            int n = Integer.parseInt(s.trim());
            Tensor a = cl.toDevice(Tensor.of(HashFill.uniform(1, n * n, 1f), n, n));
            Tensor b = cl.toDevice(Tensor.of(HashFill.uniform(2, n * n, 1f), n, n));
            Tensor c = cl.zeros(n, n);
            cl.gemm(false, false, a, b, 0f, c);
            cl.finish();
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                cl.gemm(false, false, a, b, 0f, c);
                cl.finish();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("sgemm %dx%dx%d: %.1f GFLOPS (%.3f ms)%n", n, n, n, 2.0 * n * n * n / best / 1e9, best * 1e3);
        }
    }
}
