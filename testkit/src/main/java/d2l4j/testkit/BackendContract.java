package d2l4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.Backend;
import d2l4j.tensor.BinaryOp;
import d2l4j.tensor.ConvGeometry;
import d2l4j.tensor.Philox;
import d2l4j.tensor.PoolGeometry;
import d2l4j.tensor.ReduceOp;
import d2l4j.tensor.Resize;
import d2l4j.tensor.Shape;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.UnaryOp;
import d2l4j.tensor.Window2d;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Backend} must do, checked method by method on awkward shapes against the definitions
 * ({@link Oracle}'s double-precision loops, or the scalar definition for elementwise ops). One subclass per
 * backend: the reference and the Vector API CPU backends (module kernels) and OpenCL (module kernels-opencl,
 * skipped with its reason where no device opens), so each kernel, .cl ones included, meets the same cases.
 *
 * <p>Tolerances: exact where the operation is one IEEE operation per element (add, relu, the SGD fma, masks,
 * copies); for sums, every element within 1e-5·√terms of the sum of its terms' magnitudes (plus 1e-6): the
 * rounding a float32 sum of those terms may carry, whatever its order; transcendental functions within 1e-6
 * relative (OpenCL allows a few ulp).
 */
public abstract class BackendContract {

    /** The backend under test. */
    protected abstract Backend backend();

    // ---- helpers ----

    private Tensor in(float[] data, int... shape) {
        return backend().toDevice(Tensor.of(data, shape));
    }

    private static float[] rand(int seed, int n) {
        return HashFill.uniform(seed, n, 1f);
    }

    private static void close(String what, Oracle.Exact e, Tensor got, int... shape) {
        assertArrayEquals(shape, got.shape(), what + ": shape");
        float[] g = got.toArray();
        double rel = 1e-5 * Math.sqrt(e.terms());
        for (int i = 0; i < g.length; i++) {
            double tol = rel * e.mag()[i] + 1e-6;
            if (!(Math.abs(g[i] - e.value()[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " of " + Shape.str(shape) + " is " + g[i]
                        + ", expected " + e.value()[i] + " (tolerance " + tol + ")");
            }
        }
    }

    private static void same(String what, float[] expected, Tensor got, int... shape) {
        assertArrayEquals(shape, got.shape(), what + ": shape");
        float[] g = got.toArray();
        for (int i = 0; i < g.length; i++) {
            if (Float.floatToIntBits(g[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + ", expected exactly " + expected[i]);
            }
        }
    }

    private static void relClose(String what, double[] expected, Tensor got, double rel, double abs) {
        float[] g = got.toArray();
        assertEquals(expected.length, g.length, what + ": size");
        for (int i = 0; i < g.length; i++) {
            double tol = rel * Math.abs(expected[i]) + abs;
            if (!(Math.abs(g[i] - expected[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + ", expected " + expected[i]);
            }
        }
    }

    // ---- memory and layout ----

    @Test
    void zerosAndTheRoundTripToTheDevice() {
        Tensor z = backend().zeros(3, 1, 5);
        same("zeros", new float[15], z, 3, 1, 5);
        float[] v = rand(1, 7 * 3);
        same("toDevice", v, in(v, 7, 3), 7, 3);
    }

    @Test
    void contiguousCopiesOfViews() {
        float[] v = rand(2, 2 * 3 * 4);
        Tensor x = in(v, 2, 3, 4);
        float[] t = new float[v.length]; // x.transpose(0, 2): [4, 3, 2]
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) t[(c * 3 + b) * 2 + a] = v[(a * 3 + b) * 4 + c];
        same("contiguous(transpose)", t, backend().contiguous(x.transpose(0, 2)), 4, 3, 2);
        float[] s = new float[2 * 2 * 4]; // x.slice(1, 1, 3)
        for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 4; c++) s[(a * 2 + b) * 4 + c] = v[(a * 3 + b + 1) * 4 + c];
        same("contiguous(slice)", s, backend().contiguous(x.slice(1, 1, 3)), 2, 2, 4);
        same("narrow", s, backend().narrow(x, 1, 1, 2), 2, 2, 4);
    }

    @Test
    void catAlongEachDimension() {
        float[] a = rand(3, 2 * 3 * 4), b = rand(4, 2 * 1 * 4), c = rand(5, 1 * 3 * 4);
        float[] along1 = new float[2 * 4 * 4];
        for (int i = 0; i < 2; i++) {
            System.arraycopy(a, i * 12, along1, i * 16, 12);
            System.arraycopy(b, i * 4, along1, i * 16 + 12, 4);
        }
        same("cat dim 1", along1, backend().cat(1, in(a, 2, 3, 4), in(b, 2, 1, 4)), 2, 4, 4);
        float[] along0 = Arrays.copyOf(a, 36);
        System.arraycopy(c, 0, along0, 24, 12);
        same("cat dim 0", along0, backend().cat(0, in(a, 2, 3, 4), in(c, 1, 3, 4)), 3, 3, 4);
    }

    // ---- elementwise and reductions ----

    @Test
    void unaryOpsMatchTheirScalarDefinitions() {
        float[] v = rand(6, 5 * 7);
        v[3] = 0f;
        Tensor x = in(v, 5, 7);
        for (UnaryOp op : UnaryOp.values()) {
            float[] arg = op == UnaryOp.LOG ? abs(v) : v;
            Tensor xin = op == UnaryOp.LOG ? in(arg, 5, 7) : x;
            double[] want = new double[v.length];
            for (int i = 0; i < v.length; i++) want[i] = op.apply(arg[i]);
            if (op == UnaryOp.NEG || op == UnaryOp.RELU) {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) f[i] = op.apply(arg[i]);
                same(op.toString(), f, backend().unary(op, xin), 5, 7);
            } else {
                relClose(op.toString(), want, backend().unary(op, xin), 1e-6, 1e-7);
            }
        }
    }

    private static float[] abs(float[] v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) a[i] = Math.abs(v[i]) + 0.01f;
        return a;
    }

    @Test
    void binaryOpsBroadcastAsPyTorch() {
        int[][][] shapes = {{{2, 3, 4}, {2, 3, 4}}, {{2, 3, 4}, {3, 1}}, {{2, 3, 4}, {1}}, {{2, 1, 4}, {1, 3, 1}},
                            {{1}, {5}}, {{4, 1}, {1, 6}}};
        int seed = 10;
        for (int[][] s : shapes) {
            float[] a = rand(seed++, Shape.numel(s[0])), b = rand(seed++, Shape.numel(s[1]));
            for (int i = 0; i < b.length; i++) b[i] += b[i] < 0 ? -0.5f : 0.5f; // no division by ~0
            int[] out = broadcast(s[0], s[1]);
            for (BinaryOp op : BinaryOp.values()) {
                float[] want = new float[Shape.numel(out)];
                double[] wantD = new double[want.length];
                for (int i = 0; i < want.length; i++) {
                    want[i] = op.apply(a[index(i, out, s[0])], b[index(i, out, s[1])]);
                    wantD[i] = want[i];
                }
                String what = op + " " + Shape.str(s[0]) + " " + Shape.str(s[1]);
                Tensor got = backend().binary(op, in(a, s[0]), in(b, s[1]));
                assertArrayEquals(out, got.shape(), what);
                if (op == BinaryOp.DIV) relClose(what, wantD, got, 4e-7, 0); // OpenCL's division: 2.5 ulp
                else same(what, want, got, out);
            }
        }
        // a transposed (non-contiguous) operand
        float[] a = rand(30, 3 * 4), b = rand(31, 4 * 3);
        float[] want = new float[12];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) want[i * 3 + j] = a[j * 4 + i] + b[i * 3 + j];
        same("add(transposed, contiguous)", want, backend().binary(BinaryOp.ADD, in(a, 3, 4).transpose(0, 1), in(b, 4, 3)), 4, 3);
    }

    private static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1, db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            out[i] = Math.max(da, db);
        }
        return out;
    }

    // the flat index into an operand of shape `s` of output element `flat` of shape `out` (broadcasting)
    private static int index(int flat, int[] out, int[] s) {
        int idx = 0, stride = 1;
        for (int d = out.length - 1; d >= 0; d--) {
            int coord = flat % out[d];
            flat /= out[d];
            int sd = d - (out.length - s.length);
            if (sd >= 0) {
                idx += (s[sd] == 1 ? 0 : coord) * stride;
                stride *= s[sd];
            }
        }
        return idx;
    }

    @Test
    void reductionsAlongEachDimensionAndOverAll() {
        int[] shape = {3, 4, 5};
        float[] v = rand(40, 60);
        v[7] = v[8]; // a tie for the maximum somewhere
        Tensor x = in(v, shape);
        for (int d = 0; d < 3; d++) {
            int outer = 1, inner = 1, n = shape[d];
            for (int i = 0; i < d; i++) outer *= shape[i];
            for (int i = d + 1; i < 3; i++) inner *= shape[i];
            double[] sum = new double[outer * inner], mean = new double[sum.length], max = new double[sum.length], arg = new double[sum.length];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++) {
                    int best = 0;
                    for (int j = 0; j < n; j++) {
                        float e = v[(o * n + j) * inner + i];
                        sum[o * inner + i] += e;
                        if (e > v[(o * n + best) * inner + i]) best = j;
                    }
                    mean[o * inner + i] = sum[o * inner + i] / n;
                    max[o * inner + i] = v[(o * n + best) * inner + i];
                    arg[o * inner + i] = best;
                }
            for (boolean keep : new boolean[] {false, true}) {
                String what = " along " + d + (keep ? ", keepDim" : "");
                int[] outShape = keep ? shape.clone() : drop(shape, d);
                if (keep) outShape[d] = 1;
                Tensor s = backend().reduce(ReduceOp.SUM, x, d, keep, false);
                assertArrayEquals(outShape, s.shape(), "sum" + what);
                relClose("sum" + what, sum, s, 1e-6, 1e-6);
                relClose("mean" + what, mean, backend().reduce(ReduceOp.MEAN, x, d, keep, false), 1e-6, 1e-6);
                relClose("max" + what, max, backend().reduce(ReduceOp.MAX, x, d, keep, false), 0, 0);
                relClose("argmax" + what, arg, backend().reduce(ReduceOp.ARGMAX, x, d, keep, false), 0, 0);
            }
        }
        double all = 0;
        for (float e : v) all += e;
        Tensor s = backend().reduce(ReduceOp.SUM, x, -1, false, true);
        assertEquals(0, s.rank(), "sum over all is a scalar");
        relClose("sum over all", new double[] {all}, s, 1e-6, 1e-6);
    }

    private static int[] drop(int[] s, int d) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != d) r[j++] = s[i];
        return r;
    }

    // ---- matrix products ----

    @Test
    void gemmOnAwkwardSizesEveryTransposeAndBeta() {
        int[] sizes = {1, 7, 65};
        int seed = 50;
        for (int m : sizes)
            for (int n : sizes)
                for (int k : sizes)
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                        float[] a = rand(seed++, m * k), b = rand(seed++, k * n), c0 = rand(seed++, m * n);
                        for (float beta : new float[] {0f, 0.5f}) {
                            Tensor c = in(c0.clone(), m, n);
                            backend().gemm(ta, tb, in(a, ta ? k : m, ta ? m : k), in(b, tb ? n : k, tb ? k : n), beta, c);
                            close("gemm " + m + "x" + n + "x" + k + (ta ? " A^T" : "") + (tb ? " B^T" : "") + " beta " + beta,
                                    Oracle.gemm(ta, tb, m, n, k, a, b, beta, c0), c, m, n);
                        }
                    }
        // matmul of a transposed view: op(A) as it lies
        float[] a = rand(90, 5 * 3), b = rand(91, 5 * 4);
        close("matmul(Aᵀ view, B)", Oracle.gemm(true, false, 3, 4, 5, a, b, 0f, null),
                backend().matmul(in(a, 5, 3).transpose(0, 1), false, in(b, 5, 4), false), 3, 4);
    }

    @Test
    void linearWithAndWithoutBias() {
        float[] x = rand(60, 5 * 7), w = rand(61, 3 * 7), b = rand(62, 3);
        Oracle.Exact e = Oracle.gemm(false, true, 5, 3, 7, x, w, 0f, null);
        close("linear without bias", e, backend().linear(in(x, 5, 7), in(w, 3, 7), null), 5, 3);
        for (int i = 0; i < 5; i++) for (int j = 0; j < 3; j++) e.value()[i * 3 + j] += b[j];
        close("linear", e, backend().linear(in(x, 5, 7), in(w, 3, 7), in(b, 3)), 5, 3);
    }

    // ---- convolution ----

    /**
     * {n, c, h, w, k, r, s, strideH, strideW, padH, padW}: LeNet's two (batch 1 and 3), kernels wider than the
     * input plus one side's padding (a kernel column wholly in the padding), strides 2-4, 1×1 on small and large
     * maps, small maps with many channels, 24+ filters, asymmetric kernels and padding, padding ≥ kernel, a strided
     * one with a 10×10 output (image by image im2col + gemm).
     */
    static final int[][] CONV = {
        {1, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2}, {3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0}, {1, 2, 5, 1, 3, 5, 5, 1, 1, 2, 2},
        {1, 3, 1, 1, 4, 7, 7, 1, 1, 3, 3}, {2, 2, 2, 2, 3, 7, 7, 1, 1, 3, 3}, {2, 3, 9, 8, 5, 3, 3, 2, 2, 1, 1},
        {3, 3, 12, 12, 2, 11, 11, 4, 4, 2, 2}, {4, 6, 6, 5, 7, 1, 1, 1, 1, 0, 0}, {2, 8, 24, 24, 4, 1, 1, 1, 1, 0, 0},
        {5, 12, 3, 3, 9, 3, 3, 1, 1, 1, 1}, {4, 5, 9, 13, 7, 3, 5, 1, 1, 0, 2}, {3, 2, 6, 5, 9, 2, 3, 1, 1, 1, 0},
        {3, 2, 5, 5, 3, 2, 2, 1, 1, 2, 2}, {5, 1, 6, 9, 2, 2, 3, 1, 2, 0, 1}, {2, 30, 3, 3, 26, 3, 3, 1, 1, 1, 1},
        {2, 4, 3, 7, 5, 3, 3, 3, 2, 1, 0}, {2, 3, 20, 20, 4, 3, 3, 2, 2, 1, 1},
    };

    /** The geometries of {@link #CONV}, for subclasses that check which paths they reach. */
    public static ConvGeometry[] convCases() {
        return Arrays.stream(CONV).map(t -> new ConvGeometry(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10]))
                .toArray(ConvGeometry[]::new);
    }

    @Test
    void conv2dInEveryDirection() {
        int seed = 100;
        for (ConvGeometry g : convCases()) {
            Window2d win = new Window2d(g.r(), g.s(), g.strideH(), g.strideW(), g.padH(), g.padW());
            float[] x = rand(seed++, g.xSize()), w = rand(seed++, g.weightSize()), b = rand(seed++, g.k()), dy = rand(seed++, g.ySize());
            Tensor xt = in(x, g.xShape()), wt = in(w, g.weightShape()), bt = in(b, g.k()), dyt = in(dy, g.yShape());
            String what = " " + g;
            close("conv2d without bias" + what, Oracle.conv2d(g, x, w, null), backend().conv2d(xt, wt, null, win), g.yShape());
            Oracle.Exact y = Oracle.conv2d(g, x, w, b);
            close("conv2d" + what, y, backend().conv2d(xt, wt, bt, win), g.yShape());
            for (int i = 0; i < y.value().length; i++) y.value()[i] = Math.max(0, y.value()[i]);
            close("conv2dRelu" + what, y, backend().conv2dRelu(xt, wt, bt, win), g.yShape());
            close("conv2dBackwardData" + what, Oracle.conv2dBackwardData(g, dy, w),
                    backend().conv2dBackwardData(dyt, wt, g.xShape(), win), g.xShape());
            Oracle.Exact dw = Oracle.conv2dBackwardWeight(g, x, dy);
            Tensor[] got = backend().conv2dBackwardWeight(xt, dyt, g.weightShape(), true, win);
            Oracle.Exact dwOnly = new Oracle.Exact(Arrays.copyOf(dw.value(), g.weightSize()), Arrays.copyOf(dw.mag(), g.weightSize()), dw.terms());
            Oracle.Exact dbOnly = new Oracle.Exact(Arrays.copyOfRange(dw.value(), g.weightSize(), g.weightSize() + g.k()),
                    Arrays.copyOfRange(dw.mag(), g.weightSize(), g.weightSize() + g.k()), dw.terms());
            close("conv2dBackwardWeight dW" + what, dwOnly, got[0], g.weightShape());
            close("conv2dBackwardWeight dBias" + what, dbOnly, got[1], g.k());
            Tensor[] noBias = backend().conv2dBackwardWeight(xt, dyt, g.weightShape(), false, win);
            assertTrue(noBias[1] == null, "no bias gradient unless asked" + what);
            close("conv2dBackwardWeight dW, no bias" + what, dwOnly, noBias[0], g.weightShape());
        }
    }

    @Test
    void conv2dThatDoesNotFitIsAClearError() {
        Tensor x = in(new float[2 * 3 * 4 * 4], 2, 3, 4, 4), w = in(new float[5 * 2 * 3 * 3], 5, 2, 3, 3);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> backend().conv2d(x, w, null, Window2d.square(3, 1, 1)));
        assertTrue(e.getMessage().contains("[2, 3, 4, 4]") && e.getMessage().contains("[5, 2, 3, 3]"), e.getMessage());
    }

    // ---- pooling ----

    /** {n, c, h, w, r, s, strideH, strideW, padH, padW}: LeNet's, overlapping, padded, narrow planes, 1×1. */
    static final int[][] POOL = {
        {2, 3, 28, 28, 2, 2, 2, 2, 0, 0}, {1, 2, 7, 7, 3, 3, 2, 2, 1, 1}, {2, 17, 6, 6, 3, 3, 1, 1, 1, 1},
        {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, {2, 2, 9, 17, 2, 3, 1, 2, 1, 1}, {1, 3, 5, 4, 3, 3, 3, 3, 1, 1},
        {2, 2, 3, 3, 3, 3, 1, 1, 1, 1}, {1, 2, 11, 9, 2, 3, 2, 3, 0, 0}, {1, 20, 12, 12, 3, 3, 2, 2, 1, 1},
    };

    @Test
    void poolingForwardAndBackward() {
        int seed = 300;
        for (int[] t : POOL) {
            PoolGeometry g = new PoolGeometry(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9]);
            Window2d win = new Window2d(g.r(), g.s(), g.strideH(), g.strideW(), g.padH(), g.padW());
            int[] xs = {g.n(), g.c(), g.h(), g.w()};
            float[] x = rand(seed++, Shape.numel(xs)), dy = rand(seed++, Shape.numel(g.yShape()));
            for (int i = 0; i < x.length; i++) x[i] = Math.round(x[i] * 2) / 2f; // ties for the maximum
            String what = " " + g;
            close("avgPool2d" + what, Oracle.avgPool(g, x), backend().avgPool2d(in(x, xs), win), g.yShape());
            close("avgPool2dBackward" + what, Oracle.avgPoolBackward(g, dy), backend().avgPool2dBackward(in(dy, g.yShape()), xs, win), xs);
            int[] at = Oracle.maxPoolArgmax(g, x);
            float[] y = new float[at.length], dx = new float[x.length];
            for (int i = 0; i < at.length; i++) {
                y[i] = at[i] < 0 ? Float.NEGATIVE_INFINITY : x[at[i]];
                if (at[i] >= 0) dx[at[i]] += dy[i];
            }
            same("maxPool2d" + what, y, backend().maxPool2d(in(x, xs), win), g.yShape());
            Tensor gotDx = backend().maxPool2dBackward(in(x, xs), in(dy, g.yShape()), win);
            Oracle.Exact dxe = Oracle.Exact.of(dx.length, 1);
            for (int i = 0; i < at.length; i++) if (at[i] >= 0) dxe.add(at[i], dy[i]);
            close("maxPool2dBackward (first maximum)" + what, dxe, gotDx, xs);
        }
    }

    @Test
    void adaptiveAveragePoolingForwardAndBackward() {
        int[][] cases = {{2, 3, 7, 5, 3, 2}, {1, 4, 6, 6, 1, 1}, {2, 2, 5, 5, 5, 5}, {1, 1, 3, 7, 2, 3}};
        int seed = 400;
        for (int[] t : cases) {
            int planes = t[0] * t[1];
            float[] x = rand(seed++, planes * t[2] * t[3]), dy = rand(seed++, planes * t[4] * t[5]);
            String what = " " + Arrays.toString(t);
            close("adaptiveAvgPool2d" + what, Oracle.adaptiveAvgPool(planes, t[2], t[3], t[4], t[5], x),
                    backend().adaptiveAvgPool2d(in(x, t[0], t[1], t[2], t[3]), t[4], t[5]), t[0], t[1], t[4], t[5]);
            close("adaptiveAvgPool2dBackward" + what, Oracle.adaptiveAvgPoolBackward(planes, t[2], t[3], t[4], t[5], dy),
                    backend().adaptiveAvgPool2dBackward(in(dy, t[0], t[1], t[4], t[5]), new int[] {t[0], t[1], t[2], t[3]}),
                    t[0], t[1], t[2], t[3]);
        }
    }

    // ---- activations ----

    @Test
    void activationsAndTheirGradients() {
        int n = 3 * 37;
        float[] v = rand(500, n), dy = rand(501, n);
        v[0] = 0f;
        v[1] = -0f;
        v[2] = 30f;
        v[3] = -30f;
        double[] sig = new double[n];
        float[] relu = new float[n], reluBack = new float[n];
        for (int i = 0; i < n; i++) {
            sig[i] = 1 / (1 + Math.exp(-v[i]));
            relu[i] = v[i] > 0 ? v[i] : 0f;
            reluBack[i] = v[i] > 0 ? dy[i] : 0f;
        }
        Tensor x = in(v, 3, 37), g = in(dy, 3, 37);
        relClose("sigmoid", sig, backend().sigmoid(x), 1e-6, 1e-7);
        same("relu", relu, backend().relu(x), 3, 37);
        same("reluBackward", reluBack, backend().reluBackward(x, g), 3, 37);
        float[] y = rand(502, n);
        for (int i = 0; i < n; i++) y[i] = Math.abs(y[i]);
        double[] sigBack = new double[n];
        for (int i = 0; i < n; i++) sigBack[i] = (double) dy[i] * y[i] * (1 - y[i]);
        relClose("sigmoidBackward", sigBack, backend().sigmoidBackward(in(y, 3, 37), g), 1e-6, 1e-7);
    }

    // ---- loss, optimizer, dropout, metrics, the batch ----

    @Test
    void softmaxCrossEntropyAndItsGradient() {
        int n = 6, classes = 10;
        float[] z = rand(600, n * classes);
        for (int i = 0; i < z.length; i++) z[i] *= 20; // large logits: the max must be subtracted
        int[] labels = {0, 9, 3, 3, 7, 1};
        double[][] e = Oracle.softmaxCrossEntropy(z, n, classes, labels);
        Tensor lab = backend().labels(labels, n);
        Tensor[] out = backend().softmaxCrossEntropy(in(z, n, classes), lab);
        relClose("cross-entropy loss", e[0], out[0], 1e-5, 1e-6);
        relClose("softmax", e[1], out[1], 1e-5, 1e-7);
        double[] dz = new double[n * classes];
        for (int i = 0; i < n; i++) for (int j = 0; j < classes; j++) dz[i * classes + j] = 0.7 * (e[1][i * classes + j] - (labels[i] == j ? 1 : 0)) / n;
        relClose("cross-entropy backward", dz, backend().softmaxCrossEntropyBackward(out[1], lab, 0.7f), 1e-5, 1e-7);
    }

    @Test
    void sgdUpdateIsOneFusedMultiplyAdd() {
        float[] w = rand(700, 1000), g = rand(701, 1000), want = new float[1000];
        for (int i = 0; i < 1000; i++) want[i] = Math.fma(-0.37f, g[i], w[i]);
        Tensor wt = in(w, 10, 100);
        backend().sgdUpdate(wt, in(g, 10, 100), 0.37f);
        same("sgd update", want, wt, 10, 100);
    }

    @Test
    void dropoutMasksAreThePhiloxMasks() {
        int[] shape = {3, 5, 7};
        float[] want = new float[Shape.numel(shape)];
        Philox.dropoutMask(want, 0, want.length, 0.3f, 42L, 2, 5, 7);
        same("dropout mask", want, backend().dropoutMask(shape, 0.3f, 42L, 2, 5, 7), shape);
    }

    @Test
    void imagesAndLabelsOfABatch() {
        int n = 3, side = 28;
        byte[] px = new byte[5 + n * side * side];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (HashFill.bits(800, i) >>> 24);
        for (int out : new int[] {28, 32, 9}) {
            float[] want = new float[n * out * out], plane = new float[side * side];
            Resize resize = out == side ? null : new Resize(side, out);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < side * side; k++) plane[k] = (px[5 + i * side * side + k] & 0xff) / 255f;
                if (resize == null) System.arraycopy(plane, 0, want, i * out * out, out * out);
                else resize.apply(plane, 0, want, i * out * out);
            }
            double[] wd = new double[want.length];
            for (int i = 0; i < want.length; i++) wd[i] = want[i];
            Tensor got = backend().images(px, 5, n, side, out);
            assertArrayEquals(new int[] {n, 1, out, out}, got.shape(), "images " + out);
            relClose("images resized to " + out, wd, got, 1e-6, 1e-6);
        }
        same("labels", new float[] {3, 0, 9}, backend().labels(new int[] {3, 0, 9, 4}, 3), 3);
    }

    @Test
    void metricsAccumulateLossTimesNAndHits() {
        int n = 5, classes = 4;
        Tensor sums = backend().zeros(3);
        double lossSum = 0;
        int hits = 0;
        for (int batch = 0; batch < 3; batch++) {
            float[] z = rand(900 + batch, n * classes);
            z[1] = z[2] = 5f; // a tie: the first maximum counts
            int[] labels = {2, 1, 0, 3, batch};
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < classes; j++) if (z[i * classes + j] > z[i * classes + best]) best = j;
                if (best == labels[i]) hits++;
            }
            Tensor lab = backend().labels(labels, n), logits = in(z, n, classes);
            Tensor loss = batch == 1 ? null : backend().softmaxCrossEntropy(logits, lab)[0];
            if (loss != null) lossSum += loss.toArray()[0] * (double) n;
            backend().accumulateMetrics(sums, loss, logits, lab);
        }
        float[] s = sums.toArray();
        assertEquals(lossSum, s[0], 1e-5 * lossSum, "loss·N summed");
        assertEquals(hits, s[2], 0f, "hits (first maximum of each row)");
    }
}
