package d2l4j.bench;

import d2l4j.kernels.CpuKernels;

/** Prints which CPU kernels this JVM runs and what they are shaped for (ISA, vector bits, tiles), for compare.py's header. */
public final class Kernels {
    private Kernels() {}

    public static void main(String[] args) {
        CpuKernels k = CpuKernels.best();
        System.out.println(k.name() + ", " + k.machine());
    }
}
