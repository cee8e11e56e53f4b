/**
 * The OpenCL backend, through JOCL: kernels in {@code .cl} resources (d2l4j/opencl, the formula and shapes on top
 * of each), one in-order queue, pooled device buffers released by the step's {@link d2l4j.tensor.Arena}, a GEMM
 * tile tuned per device and cached on disk. Opened as {@code opencl[:N]} through {@link d2l4j.opencl.OpenClProvider}.
 */
package d2l4j.opencl;
