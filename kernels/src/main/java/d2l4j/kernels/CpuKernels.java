package d2l4j.kernels;

/**
 * The CPU kernels, one implementation per family: a record a backend picks once. {@link #reference()} holds
 * the plain-Java loops of {@code d2l4j.kernels.reference} (the executable spec), {@link #vector()} the Vector
 * API twins of {@code d2l4j.kernels.simd}; each twin {@code implements} the same family interface, so the
 * compiler checks they agree in contract and the spec is one click away. {@link #best()} gives the Vector API
 * kernels when {@code jdk.incubator.vector} is present at run time, the reference loops otherwise.
 * Arrays are contiguous row-major with an offset, inputs first, output last. {@code machine} says what the kernels
 * are shaped for (for the Vector API ones: ISA, vector bits, registers and register tiles, see
 * {@link d2l4j.kernels.simd.Machine}).
 */
public record CpuKernels(String name, String machine, GemmKernels gemm, Im2colKernels im2col, ImplicitConvKernels implicitConv,
                         PoolKernels pool, ActivationKernels activations, SoftmaxCrossEntropyKernels loss,
                         ElementwiseKernels elementwise) {

    /** The plain-Java loops, named "reference". */
    public static CpuKernels reference() {
        return new CpuKernels("reference", "plain-Java loops, no vector shape", new d2l4j.kernels.reference.Gemm(), new d2l4j.kernels.reference.Im2col(),
                new d2l4j.kernels.reference.ImplicitConv(), new d2l4j.kernels.reference.Pool(),
                new d2l4j.kernels.reference.Activations(), new d2l4j.kernels.reference.SoftmaxCrossEntropy(),
                new d2l4j.kernels.reference.Elementwise());
    }

    /**
     * The Vector API kernels, named "Vector API"; needs jdk.incubator.vector in the boot layer. (This is the
     * only place outside {@code d2l4j.kernels.simd} that names them, so a JVM without the module never loads them.)
     */
    public static CpuKernels vector() {
        try {
            return new CpuKernels("Vector API", d2l4j.kernels.simd.Machine.describe(), new d2l4j.kernels.simd.Gemm(),
                    new d2l4j.kernels.simd.Im2col(), new d2l4j.kernels.simd.ImplicitConv(), new d2l4j.kernels.simd.Pool(),
                    new d2l4j.kernels.simd.Activations(), new d2l4j.kernels.simd.SoftmaxCrossEntropy(),
                    new d2l4j.kernels.simd.Elementwise());
        } catch (ExceptionInInitializerError e) { // a bad -Dd2l4j.simd / D2L4J_SIMD, as its own message
            if (e.getCause() instanceof IllegalArgumentException bad) throw new IllegalArgumentException(bad.getMessage(), bad);
            throw e;
        }
    }

    private static volatile CpuKernels best;

    /**
     * The fastest kernels this JVM can run (see the class comment), chosen once per JVM on first use; says once on
     * stderr when falling back. A bad -Dd2l4j.simd / D2L4J_SIMD is an IllegalArgumentException naming what it expects.
     */
    public static CpuKernels best() {
        CpuKernels b = best;
        if (b == null) {
            synchronized (CpuKernels.class) {
                if (best == null) best = choose();
                b = best;
            }
        }
        return b;
    }

    private static CpuKernels choose() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) return vector();
        System.err.println("d2l4j: jdk.incubator.vector not present, running the plain-Java reference kernels"
                + " (add --add-modules jdk.incubator.vector for speed)");
        return reference();
    }
}
