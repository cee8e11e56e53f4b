package d2l4j.opencl;

import static org.jocl.CL.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * Chooses the GEMM/convolution tile for a device, as CLBlast tunes its kernels: on first use it builds
 * the GEMM with each {@link TileConfig} candidate the device can run (work-group size, local memory),
 * times an n×n×n product (n = 2048 on a GPU, 256 on a CPU device) best of three after a warm-up, and
 * keeps the fastest; the choice is cached on disk keyed by device and driver, so later runs start at
 * once. {@code D2L4J_OPENCL_TILE=<name>} (or {@link OpenClBackend#open(int, boolean, String)}) forces one.
 * Every candidate sums in the same order, so the choice changes speed, never results.
 */
final class ClTuner {
    private ClTuner() {}

    /** The candidates this device can run. */
    static List<TileConfig> candidates(ClContext cl) {
        List<TileConfig> out = new ArrayList<>();
        for (TileConfig c : TileConfig.CANDIDATES) {
            if (c.workGroupSize() <= cl.maxWorkGroup && c.localBytes() <= cl.localMemBytes) out.add(c);
        }
        return out;
    }

    static TileConfig choose(ClContext cl, DiskCache cache, String forced) {
        if (forced == null) forced = System.getenv("D2L4J_OPENCL_TILE");
        if (forced != null && !forced.isEmpty()) {
            TileConfig c = TileConfig.named(forced);
            if (c == null || !candidates(cl).contains(c)) {
                throw new IllegalArgumentException("OpenCL tile '" + forced + "' is not one this device can run; choose from "
                        + candidates(cl).stream().map(TileConfig::name).toList());
            }
            return c;
        }
        String entry = "tile-" + DiskCache.key(cl.deviceKey, String.valueOf(TileConfig.CANDIDATES)) + ".txt";
        byte[] saved = cache.get(entry);
        if (saved != null) {
            TileConfig c = TileConfig.named(new String(saved, StandardCharsets.UTF_8).strip());
            if (c != null && candidates(cl).contains(c)) return c;
        }
        TileConfig best = null;
        double bestSeconds = Double.MAX_VALUE;
        for (TileConfig c : candidates(cl)) {
            double s = time(cl, c, cache, cl.isCpu ? 256 : 2048);
            if (s < bestSeconds) {
                bestSeconds = s;
                best = c;
            }
        }
        if (best == null) throw new IllegalStateException("OpenCL: " + cl.description + " can run none of the GEMM tiles "
                + TileConfig.CANDIDATES + " (max work-group " + cl.maxWorkGroup + ", local memory " + cl.localMemBytes + " B)");
        cache.put(entry, best.name().getBytes(StandardCharsets.UTF_8));
        return best;
    }

    /** Seconds of one n³ gemm_nn with tile {@code c}, best of three after one warm-up run. */
    static double time(ClContext base, TileConfig c, DiskCache cache, int n) {
        ClContext cl = new ClContext(base, new ClProgram(base, c, cache, "gemm.cl").kernels, c);
        long bytes = (long) n * n * Sizeof.cl_float;
        cl_mem a = clCreateBuffer(cl.context, CL_MEM_READ_WRITE, bytes, null, null);
        cl_mem b = clCreateBuffer(cl.context, CL_MEM_READ_WRITE, bytes, null, null);
        cl_mem y = clCreateBuffer(cl.context, CL_MEM_READ_WRITE, bytes, null, null);
        try {
            clEnqueueFillBuffer(cl.queue, a, Pointer.to(new float[] {0.5f}), Sizeof.cl_float, 0, bytes, 0, null, null);
            clEnqueueFillBuffer(cl.queue, b, Pointer.to(new float[] {0.25f}), Sizeof.cl_float, 0, bytes, 0, null, null);
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 4; rep++) {
                long t0 = System.nanoTime();
                OpenClBackend.gemm(cl, false, false, n, n, n, a, 0, n, b, 0, n, 0f, y, 0, n);
                clFinish(cl.queue);
                if (rep > 0) best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return best;
        } finally {
            clReleaseMemObject(a);
            clReleaseMemObject(b);
            clReleaseMemObject(y);
        }
    }
}
