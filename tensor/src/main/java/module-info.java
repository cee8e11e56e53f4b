/**
 * Tensors, layouts and the Backend SPI; safetensors files. Backends are found with ServiceLoader, on the
 * module path ({@code provides} in module d2l4j.kernels) as on the class path (META-INF/services).
 */
module d2l4j.tensor {
    exports d2l4j.tensor;
    exports d2l4j.tensor.io;

    uses d2l4j.tensor.Backend;
    uses d2l4j.tensor.BackendProvider;
}
