/**
 * Layers as PyTorch's torch.nn modules (Conv2d, Linear, pooling, activations, Dropout, Sequential), built only from
 * {@code d2l4j.autograd}; parameter names follow PyTorch's state_dict, which {@link d2l4j.layers.StateDict} reads
 * and writes as safetensors.
 */
package d2l4j.layers;
