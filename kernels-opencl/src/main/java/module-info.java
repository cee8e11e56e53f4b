/**
 * The optional OpenCL backend, the only module with native code (JOCL's, an automatic module). Found
 * through ServiceLoader as a BackendProvider for the device name "opencl".
 */
module d2l4j.opencl {
    requires d2l4j.tensor;
    requires jocl;

    exports d2l4j.opencl;

    provides d2l4j.tensor.BackendProvider with d2l4j.opencl.OpenClProvider;
}
