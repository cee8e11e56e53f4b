package d2l4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;
import d2l4j.testkit.HashFill;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every differentiable op passes a numeric gradient check: backward's gradients agree with central
 * differences of L = Σ f(x)·w (float32 forward passes, ε = 1e-2, tolerance 1e-2 absolute + 1e-2 relative).
 */
class OpsGradCheckTest {
    private static final float EPS = 1e-2f;
    private static final double ATOL = 1e-2, RTOL = 1e-2;

    private static Tensor rand(int seed, float scale, int... shape) {
        return Tensor.of(HashFill.uniform(seed, d2l4j.tensor.Shape.numel(shape), scale), shape);
    }

    /** Distinct values k·0.05 in the scrambled order k = 37·i mod n (37 is coprime with the sizes used). */
    private static Tensor spread(int... shape) {
        int n = d2l4j.tensor.Shape.numel(shape);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = ((37 * i) % n) * 0.05f - n * 0.025f;
        return Tensor.of(d, shape);
    }

    private static void check(Function<Variable[], Variable> f, Tensor... inputs) {
        boolean[] want = new boolean[inputs.length];
        java.util.Arrays.fill(want, true);
        GradCheck.check(f, inputs, want, EPS, ATOL, RTOL, 60);
    }

    @Test
    void conv2dStridedPaddedWithBias() {
        Window2d w = new Window2d(3, 2, 2, 1, 1, 0);
        check(v -> Functional.conv2d(v[0], v[1], v[2], w), rand(1, 1, 2, 3, 7, 6), rand(2, 0.5f, 4, 3, 3, 2), rand(3, 0.5f, 4));
    }

    @Test
    void conv2dOneByOneWithoutBias() {
        check(v -> Functional.conv2d(v[0], v[1], null, Window2d.square(1, 1, 0)), rand(4, 1, 2, 3, 4, 5), rand(5, 1, 2, 3, 1, 1));
    }

    @Test
    void linear() {
        check(v -> Functional.linear(v[0], v[1], v[2]), rand(6, 1, 3, 7), rand(7, 0.5f, 4, 7), rand(8, 0.5f, 4));
    }

    @Test
    void matmul() {
        check(v -> Functional.matmul(v[0], v[1]), rand(9, 1, 3, 5), rand(10, 1, 5, 2));
    }

    @Test
    void avgPoolOverlappingPadded() {
        check(v -> Functional.avgPool2d(v[0], Window2d.square(3, 2, 1)), rand(11, 1, 2, 2, 7, 6));
    }

    @Test
    void maxPoolOverlapping() {
        // values 0.05 apart in a scrambled order, so a ±ε nudge never changes which element is the maximum
        check(v -> Functional.maxPool2d(v[0], Window2d.square(3, 2, 0)), spread(1, 2, 9, 9));
        check(v -> Functional.maxPool2d(v[0], Window2d.square(3, 1, 1)), spread(1, 2, 5, 4));
    }

    @Test
    void activations() {
        check(v -> Functional.sigmoid(v[0]), rand(14, 3, 4, 9));
        // keep relu's inputs away from 0, where it has no derivative
        Tensor x = rand(15, 2, 4, 9);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) if (Math.abs(d[i]) < 0.05f) d[i] += 0.1f;
        check(v -> Functional.relu(v[0]), x);
    }

    @Test
    void reshapeAndReductions() {
        check(v -> Functional.reshape(v[0], 3, -1), rand(16, 1, 2, 3, 2));
        check(v -> Functional.sum(v[0]), rand(17, 1, 5, 3));
        check(v -> Functional.mean(v[0]), rand(18, 1, 5, 3));
    }

    @Test
    void broadcastingElementwise() {
        check(v -> Functional.add(v[0], v[1]), rand(19, 1, 3, 4), rand(20, 1, 4));
        check(v -> Functional.sub(v[0], v[1]), rand(21, 1, 3, 4), rand(22, 1, 3, 1));
        check(v -> Functional.mul(v[0], v[1]), rand(23, 1, 2, 3, 4), rand(24, 1, 1, 3, 1));
    }

    @Test
    void crossEntropy() {
        int[] labels = {3, 0, 9, 9, 1};
        check(v -> Functional.crossEntropy(v[0], labels), rand(25, 3, 5, 10));
    }

    @Test
    void adaptiveAvgPoolDivisibleAndOverlappingBins() {
        check(v -> Functional.adaptiveAvgPool2d(v[0], 1, 1), rand(27, 1, 2, 3, 5, 5));
        check(v -> Functional.adaptiveAvgPool2d(v[0], 4, 3), rand(28, 1, 1, 2, 6, 7));
    }

    @Test
    void concatAlongChannels() {
        check(v -> Functional.cat(1, v[0], v[1], v[2]), rand(29, 1, 2, 1, 3, 2), rand(30, 1, 2, 3, 3, 2), rand(31, 1, 2, 2, 3, 2));
    }

    @Test
    void dropoutWithAFixedMask() {
        // the same (seed, epoch, step, layer) on every call, so the numeric probes see the mask backward uses
        check(v -> Functional.dropout(v[0], 0.5f, 5, 0, 0, 0), rand(32, 1, 4, 16));
    }

    @Test
    void fanOutAccumulates() {
        // y = x·x + x uses x three times: dy/dx = 2x + 1
        Variable x = new Variable(Tensor.of(new float[] {1.5f, -2f}, 2), true);
        Functional.sum(Functional.add(Functional.mul(x, x), x)).backward();
        assertEquals(4f, x.grad().get(0));
        assertEquals(-3f, x.grad().get(1));
    }

    @Test
    void noGradBuildsNoGraph() {
        Variable x = new Variable(Tensor.of(new float[] {1f}, 1), true);
        try (var g = NoGrad.open()) {
            Variable y = Functional.mul(x, x);
            assertEquals(null, y.creator());
            assertTrue(!NoGrad.isGradEnabled());
        }
        assertTrue(NoGrad.isGradEnabled());
    }

    @Test
    void gradCheckCatchesAWrongBackward() {
        // an op whose backward is off by a factor of 2 must fail the check
        Function<Variable[], Variable> wrong = v -> new Op() {
            @Override
            protected Tensor forward(Tensor... in) {
                return in[0].mul(in[0]);
            }

            @Override
            protected Tensor[] backward(Tensor dy) {
                return new Tensor[] {dy.mul(v[0].data())};
            }
        }.apply(v[0]);
        assertThrows(AssertionError.class, () -> check(wrong, rand(26, 1, 6)));
    }

    @Test
    void backwardNeedsAScalar() {
        Variable x = new Variable(Tensor.of(new float[] {1f, 2f}, 2), true);
        var e = assertThrows(IllegalStateException.class, () -> Functional.mul(x, x).backward());
        assertTrue(e.getMessage().contains("[2]"));
    }
}
