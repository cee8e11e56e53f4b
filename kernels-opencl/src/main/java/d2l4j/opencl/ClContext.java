package d2l4j.opencl;

import static org.jocl.CL.*;

import d2l4j.tensor.DeviceCounters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device with its context, its one in-order queue, its memory pool and the compiled kernels.
 * Opening it says precisely what is missing when it can't: the ICD loader (libOpenCL.so.1), a platform
 * (an installed driver, e.g. pocl-opencl-icd), a device. Kernel build errors carry the compiler log.
 *
 * <p>The queue: kernels are enqueued and never waited for one by one; the host waits only where data
 * comes back (a blocking read) or when asked ({@link #finish}). Uploads are not blocking either: the host
 * values are copied into a direct staging buffer the driver reads when the copy's turn comes, and that
 * staging buffer is reused only once its copy has completed. Every launch, allocation, byte moved and
 * wait is counted ({@link #counters}).
 */
final class ClContext {
    final cl_device_id device;
    final cl_context context;
    final cl_command_queue queue;
    final String description;
    /** Device name + driver version: what cached binaries and tuning results are keyed by. */
    final String deviceKey;
    final long globalMemBytes, localMemBytes, maxWorkGroup;
    final boolean isCpu;
    final ClPool pool;
    final ClProfile profile; // null unless profiling
    final TileConfig tile;
    final boolean programFromCache;
    private final Map<String, cl_kernel> kernels;
    private final List<Staging> staging = new ArrayList<>();
    private long launches, bytesUp, bytesDown, waits;

    /** A direct host buffer an upload reads from, busy until its copy's event completes. */
    private static final class Staging {
        final ByteBuffer buf;
        cl_event lastUse;

        Staging(int bytes) {
            buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }

        boolean idle() {
            if (lastUse == null) return true;
            int[] status = new int[1];
            clGetEventInfo(lastUse, CL_EVENT_COMMAND_EXECUTION_STATUS, Sizeof.cl_int, Pointer.to(status), null);
            if (status[0] != CL_COMPLETE) return false;
            clReleaseEvent(lastUse);
            lastUse = null;
            return true;
        }
    }

    private ClContext(cl_device_id device, String description, boolean profiling, String forcedTile) {
        this.device = device;
        this.description = description;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platformOf(device));
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        this.queue = clCreateCommandQueue(context, device, profiling ? CL_QUEUE_PROFILING_ENABLE : 0, null);
        this.profile = profiling ? new ClProfile() : null;
        this.globalMemBytes = longInfo(device, CL_DEVICE_GLOBAL_MEM_SIZE);
        this.localMemBytes = longInfo(device, CL_DEVICE_LOCAL_MEM_SIZE);
        long[] wg = new long[1];
        clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(wg), null);
        this.maxWorkGroup = wg[0];
        this.isCpu = (longInfo(device, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_CPU) != 0;
        this.deviceKey = description + " | driver " + deviceInfo(device, CL_DRIVER_VERSION) + " | " + deviceInfo(device, CL_DEVICE_VERSION);
        this.pool = new ClPool(this);
        DiskCache cache = DiskCache.standard();
        this.tile = ClTuner.choose(this, cache, forcedTile);
        ClProgram program = new ClProgram(this, tile, cache, ClProgram.ALL);
        this.kernels = program.kernels;
        this.programFromCache = program.fromCache;
    }

    /** A context on the same device for the tuner: its own kernels of one tile, nothing else built. */
    ClContext(ClContext base, Map<String, cl_kernel> kernels, TileConfig tile) {
        this.device = base.device;
        this.context = base.context;
        this.queue = base.queue;
        this.description = base.description;
        this.deviceKey = base.deviceKey;
        this.globalMemBytes = base.globalMemBytes;
        this.localMemBytes = base.localMemBytes;
        this.maxWorkGroup = base.maxWorkGroup;
        this.isCpu = base.isCpu;
        this.pool = base.pool;
        this.profile = null;
        this.tile = tile;
        this.programFromCache = false;
        this.kernels = kernels;
    }

    /** Opens the index-th device over all platforms (0 = the first). */
    static ClContext open(int index, boolean profile, String tile) {
        try {
            CL.setExceptionsEnabled(true);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException("OpenCL: JOCL's native library could not be loaded (" + e.getMessage() + ")", e);
        }
        List<cl_device_id> devices = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[] n = new int[1];
        try {
            clGetPlatformIDs(0, null, n);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("OpenCL: the ICD loader libOpenCL.so.1 is missing (Debian: apt-get install ocl-icd-libopencl1)", e);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL: no platform found (" + e.getMessage() + "); install a driver, e.g. "
                    + "apt-get install pocl-opencl-icd for the CPU, or register a GPU's ICD via OCL_ICD_VENDORS", e);
        }
        if (n[0] == 0) {
            throw new IllegalStateException("OpenCL: the ICD loader found no platform; install a driver, e.g. apt-get install pocl-opencl-icd");
        }
        cl_platform_id[] platforms = new cl_platform_id[n[0]];
        clGetPlatformIDs(n[0], platforms, null);
        for (cl_platform_id p : platforms) {
            int[] dn = new int[1];
            try {
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, dn);
            } catch (CLException e) {
                continue; // CL_DEVICE_NOT_FOUND: a platform without devices
            }
            cl_device_id[] ds = new cl_device_id[dn[0]];
            clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, dn[0], ds, null);
            for (cl_device_id d : ds) {
                devices.add(d);
                names.add(info(p, CL_PLATFORM_NAME) + " / " + deviceInfo(d, CL_DEVICE_NAME).trim());
            }
        }
        if (devices.isEmpty()) throw new IllegalStateException("OpenCL: " + platforms.length + " platform(s) but no device");
        if (index < 0 || index >= devices.size()) {
            throw new IllegalStateException("OpenCL: no device " + index + "; there are " + devices.size() + ": " + names);
        }
        return new ClContext(devices.get(index), names.get(index), profile, tile);
    }


    synchronized DeviceCounters counters() {
        return new DeviceCounters(launches, pool.allocations, pool.allocatedBytes, bytesUp, bytesDown, waits);
    }

    /** Uploads floats {@code src[offset .. offset+floats-1]} to the start of {@code m}, without waiting. */
    synchronized void write(cl_mem m, float[] src, int offset, int floats) {
        long bytes = (long) floats * Sizeof.cl_float;
        Staging s = staging((int) bytes);
        s.buf.clear();
        s.buf.asFloatBuffer().put(src, offset, floats);
        enqueueWrite(m, s, bytes);
    }

    /** Uploads bytes {@code src[offset .. offset+count-1]} to the start of {@code m}, without waiting. */
    synchronized void write(cl_mem m, byte[] src, int offset, int count) {
        Staging s = staging(count);
        s.buf.clear();
        s.buf.put(src, offset, count);
        enqueueWrite(m, s, count);
    }

    private void enqueueWrite(cl_mem m, Staging s, long bytes) {
        if (bytes == 0) return;
        cl_event e = new cl_event();
        clEnqueueWriteBuffer(queue, m, CL_FALSE, 0, bytes, Pointer.to(s.buf), 0, null, e);
        s.lastUse = e;
        bytesUp += bytes;
    }

    private Staging staging(int bytes) {
        Staging best = null;
        for (Staging s : staging) {
            if (s.buf.capacity() >= bytes && (best == null || s.buf.capacity() < best.buf.capacity()) && s.idle()) best = s;
        }
        if (best == null) {
            best = new Staging(Math.max(bytes, 4096));
            staging.add(best);
        }
        return best;
    }

    /** Copies {@code floats} floats from the start of {@code m} into {@code dst}: waits for the queue. */
    synchronized void read(cl_mem m, float[] dst, int floats) {
        clEnqueueReadBuffer(queue, m, CL_TRUE, 0, (long) floats * Sizeof.cl_float, Pointer.to(dst), 0, null, null);
        bytesDown += (long) floats * Sizeof.cl_float;
        waited();
    }

    synchronized void fill(cl_mem m, float value, int floats) {
        clEnqueueFillBuffer(queue, m, Pointer.to(new float[] {value}), Sizeof.cl_float, 0, (long) floats * Sizeof.cl_float,
                0, null, null);
        launches++;
    }

    /**
     * Enqueues kernel {@code name} over {@code global} work-items (rounded up to the local size; kernels
     * check their bounds), doing {@code flops} floating-point operations (for the profile; 0 if not
     * counted). Arguments: cl_mem, Integer or Float, in the kernel's order.
     */
    synchronized void run(String name, double flops, long[] global, long[] local, Object... args) {
        cl_kernel k = kernels.get(name);
        if (k == null) throw new IllegalStateException("no OpenCL kernel named " + name);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof cl_mem m) clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
            else if (a instanceof Integer v) clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            else if (a instanceof Float v) clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            else throw new IllegalArgumentException("kernel " + name + " argument " + i + ": unsupported " + a);
        }
        long[] g = global.clone();
        if (local != null) for (int i = 0; i < g.length; i++) g[i] = (g[i] + local[i] - 1) / local[i] * local[i];
        for (long v : g) if (v == 0) return;
        cl_event e = profile == null ? null : new cl_event();
        clEnqueueNDRangeKernel(queue, k, g.length, null, g, local, 0, null, e);
        launches++;
        if (e != null) profile.add(name, flops, e);
    }

    void run(String name, long[] global, long[] local, Object... args) {
        run(name, 0, global, local, args);
    }

    /** One work-item per element, in groups of 64. */
    void run1d(String name, int n, Object... args) {
        if (n > 0) run(name, 0, new long[] {n}, new long[] {64}, args);
    }

    /** Waits until every queued command has run. */
    synchronized void finish() {
        clFinish(queue);
        waited();
    }

    private void waited() {
        waits++;
        if (profile != null) profile.resolve();
    }

    private static long longInfo(cl_device_id d, int what) {
        long[] v = new long[1];
        clGetDeviceInfo(d, what, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    private static cl_platform_id platformOf(cl_device_id d) {
        cl_platform_id[] p = new cl_platform_id[1];
        clGetDeviceInfo(d, CL_DEVICE_PLATFORM, Sizeof.cl_platform_id, Pointer.to(p), null);
        return p[0];
    }

    private static String info(cl_platform_id p, int what) {
        long[] size = new long[1];
        clGetPlatformInfo(p, what, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetPlatformInfo(p, what, b.length, Pointer.to(b), null);
        return new String(b, 0, Math.max(0, b.length - 1), StandardCharsets.UTF_8);
    }

    private static String deviceInfo(cl_device_id d, int what) {
        long[] size = new long[1];
        clGetDeviceInfo(d, what, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetDeviceInfo(d, what, b.length, Pointer.to(b), null);
        return new String(b, 0, Math.max(0, b.length - 1), StandardCharsets.UTF_8);
    }
}
