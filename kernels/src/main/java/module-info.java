/**
 * The CPU backend. The Vector API is optional ({@code requires static}): only package simd uses it, and
 * CpuKernels.best() loads the simd classes only when jdk.incubator.vector is in the boot layer (--add-modules), else
 * the reference kernels run.
 */
module d2l4j.kernels {
    requires transitive d2l4j.tensor;
    requires static jdk.incubator.vector;

    exports d2l4j.kernels;
    exports d2l4j.kernels.reference;
    exports d2l4j.kernels.simd;

    provides d2l4j.tensor.BackendProvider with d2l4j.kernels.CpuProvider;
}
