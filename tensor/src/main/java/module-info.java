/**
 * Tensors, layouts and the Backend SPI; safetensors files. Backends are opened by name through their
 * {@link d2l4j.tensor.BackendProvider}s, found with ServiceLoader on the module path ({@code provides} in
 * modules d2l4j.kernels and d2l4j.opencl) as on the class path (META-INF/services).
 */
module d2l4j.tensor {
    exports d2l4j.tensor;
    exports d2l4j.tensor.io;

    uses d2l4j.tensor.BackendProvider;
}
