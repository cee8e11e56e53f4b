/**
 * Tensors and the {@link d2l4j.tensor.Backend} every operation bottoms out in: a {@link d2l4j.tensor.Tensor} is a
 * {@link d2l4j.tensor.Layout} (shape, strides, offset) over a {@link d2l4j.tensor.Storage} (a host array or a
 * device buffer); a backend is opened by name through {@link d2l4j.tensor.Backends#open} from the
 * {@link d2l4j.tensor.BackendProvider}s on the path.
 *
 * <p>The letters used for sizes everywhere in d2l4j, as in cuDNN and the d2l book:
 * <pre>
 * N  images in a batch            K  output channels (filters) of a convolution
 * C  input channels               R, S  kernel height and width
 * H, W  input height and width    P, Q  output height and width: P = ⌊(H + 2·padH − R) / strideH⌋ + 1
 * </pre>
 * Images are NCHW, convolution weights KCRS, linear weights [out, in], as PyTorch. The sizes of one
 * convolution or pooling call travel as one value, {@link d2l4j.tensor.ConvGeometry} or
 * {@link d2l4j.tensor.PoolGeometry}; the output-size formula is written once, in
 * {@link d2l4j.tensor.Window2d#outSize}.
 */
package d2l4j.tensor;
