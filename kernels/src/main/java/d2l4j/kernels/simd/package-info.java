/**
 * The Vector API ({@code jdk.incubator.vector}) twins of the reference kernels: the same family interfaces, the
 * same results (bit for bit where the class comment says so, else within float rounding), shaped for speed.
 * {@link d2l4j.kernels.simd.Machine} chooses their vector species and register tiles for the machine (or as forced
 * with -Dd2l4j.simd). Only {@link d2l4j.kernels.CpuKernels#vector()} names these classes outside this package, so a
 * JVM without the incubator module never loads them.
 */
package d2l4j.kernels.simd;
