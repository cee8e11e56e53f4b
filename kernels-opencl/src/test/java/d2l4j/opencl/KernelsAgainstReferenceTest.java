package d2l4j.opencl;

import d2l4j.tensor.Backend;
import d2l4j.tensor.BinaryOp;
import d2l4j.tensor.ConvGeometry;
import d2l4j.tensor.ReduceOp;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;
import d2l4j.testkit.BackendContract;
import d2l4j.testkit.HashFill;
import d2l4j.testkit.TestBackends;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each .cl kernel against the plain-Java reference kernels (kernels/reference) on the same inputs, as llm.c's
 * dev/cuda checks each CUDA kernel against its CPU version: the convolution's three directions (conv.cl over
 * tile.cl) on the contract suite's shapes, the four SGEMM transposes (gemm.cl), pooling (pool.cl), activations,
 * bias and binary ops (elementwise.cl), the loss (loss.cl). Agreement: every element within 2e-5 of the
 * largest reference magnitude (as the layer tests against PyTorch).
 */
class KernelsAgainstReferenceTest {
    private static final Backend REFERENCE = TestBackends.reference();

    private static Tensor rand(Backend b, int seed, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return b.toDevice(Tensor.of(HashFill.uniform(seed, n, 1f), shape));
    }

    /** Runs {@code op} on the reference CPU backend and on OpenCL and compares every output. */
    private static void agree(String what, Function<Backend, Tensor[]> op) {
        Tensor[] want = op.apply(REFERENCE), got = op.apply(Device.get());
        for (int i = 0; i < want.length; i++) {
            if (want[i] == null) continue;
            float[] w = want[i].toArray(), g = got[i].toArray();
            double max = 1e-30;
            for (float v : w) max = Math.max(max, Math.abs(v));
            for (int j = 0; j < w.length; j++) {
                if (!(Math.abs(w[j] - g[j]) <= 2e-5 * max)) {
                    throw new AssertionError(what + " output " + i + ": element " + j + " is " + g[j] + " on OpenCL, "
                            + w[j] + " on the reference kernels (max " + max + ")");
                }
            }
        }
    }

    @Test
    void convolutionInEveryDirection() {
        for (ConvGeometry g : BackendContract.convCases()) {
            Window2d win = new Window2d(g.r(), g.s(), g.strideH(), g.strideW(), g.padH(), g.padW());
            agree("conv " + g, b -> {
                Tensor x = rand(b, 1, g.xShape()), w = rand(b, 2, g.weightShape()), bias = rand(b, 3, g.k()), dy = rand(b, 4, g.yShape());
                Tensor[] dw = b.conv2dBackwardWeight(x, dy, g.weightShape(), true, win);
                return new Tensor[] {b.conv2d(x, w, bias, win), b.conv2dRelu(x, w, bias, win),
                        b.conv2dBackwardData(dy, w, g.xShape(), win), dw[0], dw[1]};
            });
        }
    }

    @Test
    void sgemmEveryTranspose() {
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            agree("gemm " + ta + " " + tb, b -> {
                Tensor a = rand(b, 5, ta ? 70 : 33, ta ? 33 : 70), bb = rand(b, 6, tb ? 45 : 70, tb ? 70 : 45);
                Tensor c = rand(b, 7, 33, 45);
                b.gemm(ta, tb, a, bb, 0.5f, c);
                return new Tensor[] {c};
            });
        }
    }

    @Test
    void poolingActivationsElementwiseAndLoss() {
        Window2d w3 = Window2d.square(3, 2, 1), w2 = Window2d.square(2, 2, 0);
        agree("pooling", b -> {
            Tensor x = rand(b, 8, 2, 3, 13, 11), dy = rand(b, 9, 2, 3, 7, 6), dy2 = rand(b, 10, 2, 3, 6, 5);
            return new Tensor[] {b.avgPool2d(x, w3), b.maxPool2d(x, w3), b.avgPool2dBackward(dy, x.shape(), w3),
                    b.maxPool2dBackward(x, dy, w3), b.avgPool2d(x, w2), b.maxPool2dBackward(x, dy2, w2),
                    b.adaptiveAvgPool2d(x, 3, 2), b.adaptiveAvgPool2dBackward(rand(b, 11, 2, 3, 3, 2), x.shape())};
        });
        agree("activations", b -> {
            Tensor x = rand(b, 12, 4, 50), dy = rand(b, 13, 4, 50), y = b.sigmoid(x);
            return new Tensor[] {y, b.sigmoidBackward(y, dy), b.relu(x), b.reluBackward(x, dy)};
        });
        agree("elementwise and reductions", b -> {
            Tensor a = rand(b, 14, 3, 4, 5), c = rand(b, 15, 4, 1);
            return new Tensor[] {b.binary(BinaryOp.ADD, a, c), b.binary(BinaryOp.MUL, a, c), b.binary(BinaryOp.MAX, a, c),
                    b.reduce(ReduceOp.SUM, a, 1, false, false), b.linear(rand(b, 16, 6, 5), rand(b, 17, 3, 5), rand(b, 18, 3))};
        });
        agree("softmax cross-entropy", b -> {
            Tensor labels = b.labels(new int[] {1, 0, 9, 4, 4}, 5), z = rand(b, 19, 5, 10);
            Tensor[] out = b.softmaxCrossEntropy(z, labels);
            return new Tensor[] {out[0], out[1], b.softmaxCrossEntropyBackward(out[1], labels, 1f)};
        });
    }
}
