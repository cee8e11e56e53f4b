package d2l4j.tensor;

/**
 * Test double for this module's tests: the Backend's strided defaults, and none of the kernels (those
 * are tested in module kernels against this interface). Calling a kernel here is a test bug.
 */
final class LoopsOnlyBackend implements Backend {
    private static UnsupportedOperationException noKernel() {
        return new UnsupportedOperationException("tensor-module tests use only the strided loops");
    }

    @Override public String name() { return "loops only (tensor tests)"; }
    @Override public void gemm(boolean ta, boolean tb, Tensor a, Tensor b, float beta, Tensor c) { throw noKernel(); }
    @Override public Tensor conv2d(Tensor x, Tensor w, Tensor b, Window2d win) { throw noKernel(); }
    @Override public Tensor conv2dBackwardData(Tensor dy, Tensor w, int[] xs, Window2d win) { throw noKernel(); }
    @Override public Tensor[] conv2dBackwardWeight(Tensor x, Tensor dy, int[] ws, boolean b, Window2d win) { throw noKernel(); }
    @Override public Tensor avgPool2d(Tensor x, Window2d win) { throw noKernel(); }
    @Override public Tensor avgPool2dBackward(Tensor dy, int[] xs, Window2d win) { throw noKernel(); }
    @Override public Tensor maxPool2d(Tensor x, Window2d win) { throw noKernel(); }
    @Override public Tensor maxPool2dBackward(Tensor x, Tensor dy, Window2d win) { throw noKernel(); }
    @Override public Tensor sigmoid(Tensor x) { throw noKernel(); }
    @Override public Tensor sigmoidBackward(Tensor y, Tensor dy) { throw noKernel(); }
    @Override public Tensor relu(Tensor x) { throw noKernel(); }
    @Override public Tensor reluBackward(Tensor x, Tensor dy) { throw noKernel(); }
    @Override public Tensor[] softmaxCrossEntropy(Tensor z, Tensor labels) { throw noKernel(); }
    @Override public Tensor softmaxCrossEntropyBackward(Tensor prob, Tensor labels, float d) { throw noKernel(); }
    @Override public void sgdUpdate(Tensor w, Tensor g, float lr) { throw noKernel(); }
}
