/**
 * The CPU backend and the seam between it and the kernels.
 *
 * <pre>
 * CpuBackend (a Backend)       makes the output tensors (from HostPool inside an Arena), builds the
 *                              ConvGeometry/PoolGeometry of a call, splits work over the Parallel pool
 *   Convolution                the three directions of conv2d; ConvPath.choose picks the algorithm per
 *                              direction and shape (the measured rule table is in ConvPath's Javadoc)
 *     ImplicitConvKernels      an implicit GEMM (stride 1), or
 *     Im2colGemmConv           im2col + gemm, image by image or several images per product
 *   CpuKernels                 a record of kernel families, one implementation each:
 *     GemmKernels, Im2colKernels, ImplicitConvKernels, PoolKernels, ActivationKernels,
 *     SoftmaxCrossEntropyKernels, ElementwiseKernels
 * </pre>
 * Each family is an interface implemented twice: by the plain-Java loops of {@code d2l4j.kernels.reference}
 * (the executable spec) and by the Vector API kernels of {@code d2l4j.kernels.simd}, which the tests check
 * against them. {@link d2l4j.kernels.CpuKernels#best()} picks the Vector API ones when
 * {@code jdk.incubator.vector} is present. Sizes use the letters defined in {@code d2l4j.tensor}.
 */
package d2l4j.kernels;
