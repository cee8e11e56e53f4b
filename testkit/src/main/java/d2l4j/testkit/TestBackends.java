package d2l4j.testkit;

import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import java.util.ArrayList;
import java.util.List;

/**
 * The backends every agreement test runs on, opened the way users open them ({@link Backends#open}): the CPU
 * on the plain-Java reference kernels (1 thread), the CPU on the fastest kernels (2 threads), and OpenCL when
 * this machine has a device (PoCL in CI). Where OpenCL does not open, {@link #whyNoOpenCl} says why, for the
 * test that reports the skip.
 */
public final class TestBackends {
    private static final Backend OPENCL;
    private static final String WHY_NOT;

    static {
        Backend b = null;
        String why = null;
        try {
            b = Backends.open("opencl", 1);
        } catch (IllegalArgumentException | LinkageError e) {
            why = e.getMessage();
        }
        OPENCL = b;
        WHY_NOT = why;
    }

    private TestBackends() {}

    public static Backend reference() {
        return Backends.open("cpu:reference", 1);
    }

    public static Backend fastest() {
        return Backends.open("cpu", 2);
    }

    /** The OpenCL backend (one per JVM: opening compiles the kernels), or null; see {@link #whyNoOpenCl}. */
    public static Backend openClOrNull() {
        return OPENCL;
    }

    /** Why there is no OpenCL backend here (null when there is one). */
    public static String whyNoOpenCl() {
        return WHY_NOT;
    }

    /** The two CPU backends, then OpenCL where it opens. */
    public static List<Backend> all() {
        List<Backend> list = new ArrayList<>(List.of(reference(), fastest()));
        if (OPENCL != null) list.add(OPENCL);
        return list;
    }
}
