package d2l4j.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * The backend's kernels as one OpenCL program: the .cl resources next to this class, each line
 * {@code #pragma d2l4j tile} replaced by tile.cl (the shared tiled product, instantiated once per GEMM
 * and convolution kernel with that file's macros), compiled with the tile's -D options. The compiled
 * binary is cached on disk ({@link DiskCache}) under a hash of device, driver, options and source, so
 * later runs skip the compiler; a cached binary the driver rejects is rebuilt from source.
 */
final class ClProgram {
    static final String[] ALL = {"elementwise.cl", "gemm.cl", "conv.cl", "pool.cl", "loss.cl", "batch.cl", "philox.cl"};

    final Map<String, cl_kernel> kernels = new HashMap<>();
    final boolean fromCache;

    /** Builds {@code files} for the context's device with {@code tile}. */
    ClProgram(ClContext cl, TileConfig tile, DiskCache cache, String... files) {
        String source = source(files);
        String options = "-cl-std=CL1.2 " + tile.defines();
        String name = "program-" + DiskCache.key(cl.deviceKey, options, source) + ".bin";
        cl_program program = null;
        byte[] cached = cache == null ? null : cache.get(name);
        if (cached != null) program = fromBinary(cl, cached, options);
        fromCache = program != null;
        if (program == null) {
            program = clCreateProgramWithSource(cl.context, 1, new String[] {source}, null, null);
            try {
                clBuildProgram(program, 0, null, options, null, null);
            } catch (CLException e) {
                throw new IllegalStateException("OpenCL kernels failed to build on " + cl.description + " with " + options
                        + ":\n" + buildLog(cl.device, program), e);
            }
            if (cache != null) cache.put(name, binary(program));
        }
        int[] count = new int[1];
        clCreateKernelsInProgram(program, 0, null, count);
        cl_kernel[] ks = new cl_kernel[count[0]];
        clCreateKernelsInProgram(program, count[0], ks, null);
        for (cl_kernel k : ks) {
            long[] size = new long[1];
            clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, b.length, Pointer.to(b), null);
            kernels.put(new String(b, 0, b.length - 1, StandardCharsets.UTF_8), k);
        }
    }

    /** The concatenated sources with the tile pasted where asked. */
    static String source(String... files) {
        String tile = resource("tile.cl");
        StringBuilder src = new StringBuilder();
        for (String file : files) {
            src.append("// ---- ").append(file).append(" ----\n");
            for (String line : resource(file).split("\n", -1)) {
                src.append(line.strip().equals("#pragma d2l4j tile") ? tile : line).append('\n');
            }
        }
        return src.toString();
    }

    private static String resource(String file) {
        try (InputStream in = ClProgram.class.getResourceAsStream(file)) {
            if (in == null) throw new IllegalStateException("OpenCL kernel source " + file + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read OpenCL kernel source " + file, e);
        }
    }

    private static cl_program fromBinary(ClContext cl, byte[] bin, String options) {
        try {
            int[] status = new int[1];
            cl_program p = clCreateProgramWithBinary(cl.context, 1, new cl_device_id[] {cl.device}, new long[] {bin.length},
                    new byte[][] {bin}, status, null);
            if (status[0] != CL_SUCCESS) return null;
            clBuildProgram(p, 0, null, options, null, null);
            return p;
        } catch (CLException e) {
            return null; // a stale or damaged entry: build from source and overwrite it
        }
    }

    private static byte[] binary(cl_program program) {
        long[] size = new long[1];
        clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, org.jocl.Sizeof.size_t, Pointer.to(size), null);
        byte[] bin = new byte[(int) size[0]];
        clGetProgramInfo(program, CL_PROGRAM_BINARIES, org.jocl.Sizeof.POINTER, Pointer.to(Pointer.to(bin)), null);
        return bin;
    }

    private static String buildLog(cl_device_id device, cl_program program) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, StandardCharsets.UTF_8).trim();
    }
}
