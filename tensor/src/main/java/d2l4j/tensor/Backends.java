package d2l4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Which {@link Backend} tensors use, and the one way to open one by name. {@link #current} is, until
 * {@link #use} switches it, {@code open("cpu", all processors)}.
 *
 * <pre>
 * cpu              the CPU backend with the fastest kernels this JVM can run (the Vector API ones when
 *                  jdk.incubator.vector is present, else the plain-Java reference loops)
 * cpu:reference    the CPU backend on the plain-Java reference kernels (the executable spec)
 * opencl, opencl:N OpenCL device N (0 by default) over all platforms, when kernels-opencl is on the path
 * auto             OpenCL when it opens, otherwise the CPU, saying why on stderr
 * </pre>
 * The names before the colon are the {@link BackendProvider#device()} of the providers found through
 * {@link ServiceLoader}, so a new backend is a jar with a provider, nothing here.
 */
public final class Backends {
    private static volatile Backend current;

    private Backends() {}

    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                if (current == null) current = open("cpu", Runtime.getRuntime().availableProcessors());
                b = current;
            }
        }
        return b;
    }

    /** Makes {@code backend} the one every tensor operation uses from now on; returns the previous one. */
    public static Backend use(Backend backend) {
        synchronized (Backends.class) {
            Backend old = current;
            current = backend;
            return old;
        }
    }

    /**
     * Opens the backend named by {@code spec} (the table above) with {@code threads} CPU worker threads.
     * Throws {@link IllegalArgumentException} naming what was expected for a spec it cannot parse or a device
     * that is not there, with the cause's message (what is missing) when a provider fails to open.
     */
    public static Backend open(String spec, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            try {
                return open("opencl", threads);
            } catch (IllegalArgumentException e) {
                System.err.println("d2l4j: " + e.getMessage() + "; running on the CPU");
                return open("cpu", threads);
            }
        }
        int colon = s.indexOf(':');
        String device = colon < 0 ? s : s.substring(0, colon), variant = colon < 0 ? "" : s.substring(colon + 1);
        List<String> known = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            known.add(p.device());
            if (!p.device().equals(device)) continue;
            try {
                return p.open(variant, threads);
            } catch (IllegalStateException | LinkageError e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        if (device.equals("opencl")) {
            throw new IllegalArgumentException("OpenCL backend not on the class path (the kernels-opencl jar and JOCL; "
                    + "./d2l4j adds them when kernels-opencl is built)");
        }
        if (device.equals("cpu")) {
            throw new IllegalArgumentException("no CPU backend on the class path: add the d2l4j kernels jar (module kernels)");
        }
        throw new IllegalArgumentException("unknown device " + d2l4j.tensor.io.Json.quote(spec) + ": expected cpu, cpu:reference, opencl, "
                + "opencl:N or auto" + (known.isEmpty() ? "" : " (found providers for " + known + ")"));
    }
}
