/**
 * The reference kernels: each CPU kernel family ({@code d2l4j.kernels.GemmKernels}, ...) as the plain loops of its
 * formula, written to be read next to the book and to be the spec the Vector API twins in
 * {@code d2l4j.kernels.simd} are tested against. (The PyTorch golden data the tests also use lives in
 * src/reference, outside the engine.)
 */
package d2l4j.kernels.reference;
