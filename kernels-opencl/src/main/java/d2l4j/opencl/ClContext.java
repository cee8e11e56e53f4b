package d2l4j.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * One OpenCL device with its context, in-order queue and the compiled kernels of the .cl resources.
 * Opening it says precisely what is missing when it can't: the ICD loader (libOpenCL.so.1), a platform
 * (an installed driver, e.g. pocl-opencl-icd), a device. Kernel build errors carry the compiler log.
 */
final class ClContext {
    static final String[] SOURCES = {"elementwise.cl", "gemm.cl", "conv.cl", "pool.cl", "loss.cl"};

    final cl_device_id device;
    final cl_context context;
    final cl_command_queue queue;
    final String description;
    final long globalMemBytes;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private long allocatedBytes;

    private ClContext(cl_device_id device, String description) {
        this.device = device;
        this.description = description;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platformOf(device));
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        this.queue = clCreateCommandQueue(context, device, 0, null);
        long[] mem = new long[1];
        clGetDeviceInfo(device, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_long, Pointer.to(mem), null);
        this.globalMemBytes = mem[0];
        build();
    }

    /** Opens the index-th device over all platforms (0 = the first). */
    static ClContext open(int index) {
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
        return new ClContext(devices.get(index), names.get(index));
    }

    private void build() {
        StringBuilder src = new StringBuilder();
        for (String file : SOURCES) {
            try (InputStream in = ClContext.class.getResourceAsStream(file)) {
                if (in == null) throw new IllegalStateException("OpenCL kernel source " + file + " missing from the jar");
                src.append("// ---- ").append(file).append(" ----\n").append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read OpenCL kernel source " + file, e);
            }
        }
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {src.toString()}, null, null);
        try {
            clBuildProgram(program, 0, null, "-cl-std=CL1.2", null, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL kernels failed to build on " + description + ":\n" + buildLog(program), e);
        }
        int[] count = new int[1];
        clCreateKernelsInProgram(program, 0, null, count);
        cl_kernel[] ks = new cl_kernel[count[0]];
        clCreateKernelsInProgram(program, count[0], ks, null);
        for (cl_kernel k : ks) {
            long[] size = new long[1];
            clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, 0, null, size);
            byte[] name = new byte[(int) size[0]];
            clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, name.length, Pointer.to(name), null);
            kernels.put(new String(name, 0, name.length - 1, StandardCharsets.UTF_8), k);
        }
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    /** A device buffer of {@code floats} floats; device out-of-memory says how much was asked and is there. */
    synchronized cl_mem allocate(int floats) {
        long bytes = Math.max(1, (long) floats) * Sizeof.cl_float;
        for (int attempt = 0; ; attempt++) {
            try {
                cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
                allocatedBytes += bytes;
                return m;
            } catch (CLException e) {
                if (attempt == 0) {
                    System.gc(); // buffers of unreachable tensors are released by their cleaners
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    continue;
                }
                throw new IllegalStateException(String.format("OpenCL device out of memory on %s: asked for %.1f MiB, "
                        + "%.1f MiB of %.1f MiB already allocated by d2l4j (%s)", description, bytes / 1048576.0,
                        allocatedBytes / 1048576.0, globalMemBytes / 1048576.0, e.getMessage()), e);
            }
        }
    }

    synchronized void release(cl_mem m, int floats) {
        clReleaseMemObject(m);
        allocatedBytes -= Math.max(1, (long) floats) * Sizeof.cl_float;
    }

    void write(cl_mem m, float[] src, int floats) {
        clEnqueueWriteBuffer(queue, m, CL_TRUE, 0, (long) floats * Sizeof.cl_float, Pointer.to(src), 0, null, null);
    }

    void read(cl_mem m, float[] dst, int floats) {
        clEnqueueReadBuffer(queue, m, CL_TRUE, 0, (long) floats * Sizeof.cl_float, Pointer.to(dst), 0, null, null);
    }

    void fill(cl_mem m, float value, int floats) {
        clEnqueueFillBuffer(queue, m, Pointer.to(new float[] {value}), Sizeof.cl_float, 0, (long) floats * Sizeof.cl_float,
                0, null, null);
    }

    /**
     * Runs kernel {@code name} over {@code global} work-items (rounded up to the local size; kernels check
     * their bounds). Arguments: cl_mem, Integer or Float, in the kernel's order.
     */
    synchronized void run(String name, long[] global, long[] local, Object... args) {
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
        clEnqueueNDRangeKernel(queue, k, g.length, null, g, local, 0, null, null);
    }

    /** One work-item per element, in groups of 64. */
    void run1d(String name, int n, Object... args) {
        if (n > 0) run(name, new long[] {n}, new long[] {64}, args);
    }

    void finish() {
        clFinish(queue);
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
