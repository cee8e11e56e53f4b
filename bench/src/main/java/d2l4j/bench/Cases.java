package d2l4j.bench;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.kernels.Convolution;
import d2l4j.kernels.CpuKernels;
import d2l4j.kernels.Parallel;
import d2l4j.layers.FlopCounter;
import d2l4j.layers.Layer;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.ConvGeometry;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;
import d2l4j.testkit.HashFill;
import d2l4j.zoo.Recipe;

/**
 * The workloads the JMH suites and {@link Compare} time, built from the shape strings of {@link Shapes}.
 * Each has a {@link Workload#check} that compares the Vector API result with the reference kernels
 * (on a slice where the reference would be slow) and throws if they disagree.
 */
public final class Cases {
    private Cases() {}

    /** One timed operation; {@code run} returns a value derived from the result (against dead-code elimination). */
    public interface Workload {
        float run();

        /** Floating-point operations of one run (multiply-add = 2), or 0 where not meaningful. */
        double flops();

        /** Throws if the fast kernels disagree with the reference ones. */
        default void check() {}
    }

    static final CpuKernels REF = CpuKernels.reference();

    static CpuKernels fast() {
        return CpuKernels.best();
    }

    /** Agreement as the fidelity tests define it: every element within {@code tol} of the largest reference magnitude. */
    static void agree(String what, float[] ref, int refOff, float[] got, int gotOff, int len, double tol) {
        double max = 1e-30, err = 0;
        for (int i = 0; i < len; i++) max = Math.max(max, Math.abs(ref[refOff + i]));
        for (int i = 0; i < len; i++) err = Math.max(err, Math.abs(ref[refOff + i] - got[gotOff + i]));
        if (!(err <= tol * max)) {
            throw new AssertionError(what + ": fast and reference kernels disagree, max error " + err + " vs max " + max);
        }
    }

    // ---- GEMM: C (M×N) = op(A) (M×K) · op(B) (K×N) ----

    /** {@code shape} = "M,N,K,tA,tB"; {@code impl} = reference, simd1 or simd2 (the Vector API kernels on 1 or 2 threads). */
    public static Workload gemm(String shape, String impl) {
        int[] v = Shapes.parse(shape);
        int m = v[0], n = v[1], k = v[2];
        boolean ta = v[3] != 0, tb = v[4] != 0;
        float[] a = HashFill.uniform(11, m * k, 1f), b = HashFill.uniform(12, k * n, 1f), c = new float[m * n];
        int lda = ta ? m : k, ldb = tb ? k : n;
        CpuKernels kern = impl.equals("reference") ? REF : fast();
        Parallel par = Parallel.of(impl.equals("simd2") ? 2 : 1);
        return new Workload() {
            public float run() {
                kern.gemm().gemm(par, ta, tb, m, n, k, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
                return c[c.length - 1];
            }

            public double flops() {
                return 2.0 * m * n * k;
            }

            public void check() { // the first rows of C against the reference on those rows
                int rows = Math.min(m, 16);
                float[] ref = new float[rows * n];
                REF.gemm().gemm(ta, tb, rows, n, k, a, 0, lda, b, 0, ldb, 0f, ref, 0, n);
                run();
                agree("gemm " + shape + " " + impl, ref, 0, c, 0, rows * n, 2e-5);
            }
        };
    }

    // ---- convolution: x N×C×H×W, weight K×C×R×S, y N×K×P×Q ----

    /**
     * {@code shape} = "N,C,H,W,K,R,S,stride,pad"; {@code dir} = fwd, bwdData or bwdWeight (with the bias
     * gradient); the batch is cut to {@code batchCap} when that is positive.
     */
    public static Workload conv(String shape, String dir, int threads, int batchCap, String impl) {
        int[] v = Shapes.parse(shape);
        int n = batchCap > 0 ? Math.min(v[0], batchCap) : v[0];
        int c = v[1], h = v[2], w = v[3], k = v[4], r = v[5], s = v[6], st = v[7], pad = v[8];
        ConvGeometry g = new ConvGeometry(n, c, h, w, k, r, s, st, st, pad, pad);
        int p = g.p(), q = g.q();
        float[] x = HashFill.uniform(21, n * c * h * w, 1f), wt = HashFill.uniform(22, k * c * r * s, 0.1f);
        float[] bias = HashFill.uniform(23, k, 0.1f), dy = HashFill.uniform(24, n * k * p * q, 1f);
        float[] out = new float[switch (dir) { case "fwd" -> n * k * p * q; case "bwdData" -> n * c * h * w; default -> k * c * r * s; }];
        float[] dBias = new float[k];
        Convolution conv = new Convolution(impl.equals("reference") ? REF : fast(), Parallel.of(threads));
        Workload wl = new Workload() {
            public float run() {
                switch (dir) {
                    case "fwd" -> conv.forward(g, x, wt, bias, out);
                    case "bwdData" -> conv.backwardData(g, dy, wt, out);
                    case "bwdWeight" -> conv.backwardWeight(g, x, dy, out, dBias);
                    default -> throw new IllegalArgumentException("unknown direction " + dir);
                }
                return out[out.length - 1];
            }

            public double flops() {
                return 2.0 * n * k * p * q * c * r * s;
            }

            public void check() { // one image, reference kernels on 1 thread against the fast ones on `threads`
                Workload one = conv(shape, dir, threads, 1, impl), ref = conv(shape, dir, 1, 1, "reference");
                one.run();
                ref.run();
                float[] a = outOf(ref), b = outOf(one);
                agree("conv " + shape + " " + dir, a, 0, b, 0, a.length, 2e-5);
            }

            float[] outOf(Workload other) {
                return ((Outputs) other).out();
            }
        };
        return new Holder(wl, () -> out);
    }

    // ---- pooling, through the backend (split over the images) ----

    /** {@code shape} = "max|avg,N,C,H,W,R,stride,pad"; {@code dir} fwd or bwd. */
    public static Workload pool(String shape, String dir, int threads, int batchCap, String impl) {
        String[] f = shape.split("[,_]", 2);
        boolean max = f[0].equals("max");
        int[] v = Shapes.parse(f[1]);
        int n = batchCap > 0 ? Math.min(v[0], batchCap) : v[0];
        Window2d win = Window2d.square(v[4], v[5], v[6]);
        Backend be = Backends.open(impl.equals("reference") ? "cpu:reference" : "cpu", threads);
        Tensor x = Tensor.of(HashFill.uniform(31, n * v[1] * v[2] * v[3], 1f), n, v[1], v[2], v[3]);
        int p = win.outH(v[2]), q = win.outW(v[3]);
        Tensor dy = Tensor.of(HashFill.uniform(32, n * v[1] * p * q, 1f), n, v[1], p, q);
        float[][] last = new float[1][];
        Workload wl = new Workload() {
            public float run() {
                Tensor y = dir.equals("fwd") ? (max ? be.maxPool2d(x, win) : be.avgPool2d(x, win))
                        : (max ? be.maxPool2dBackward(x, dy, win) : be.avgPool2dBackward(dy, x.shape(), win));
                last[0] = y.data();
                return y.data()[0];
            }

            public double flops() {
                return 0;
            }

            public void check() {
                Workload ref = pool(shape, dir, 1, Math.min(n, 2), "reference"), one = pool(shape, dir, threads, Math.min(n, 2), impl);
                ref.run();
                one.run();
                float[] a = ((Outputs) ref).out(), b = ((Outputs) one).out();
                agree("pool " + shape + " " + dir, a, 0, b, 0, a.length, 1e-6);
            }
        };
        return new Holder(wl, () -> last[0]);
    }

    // ---- the loss: softmax cross-entropy forward and backward on N×10 logits ----

    public static Workload loss(int n, int classes, String impl) {
        Backend be = Backends.open(impl.equals("reference") ? "cpu:reference" : "cpu", 1);
        Tensor z = Tensor.of(HashFill.uniform(41, n * classes, 10f), n, classes);
        int[] ints = new int[n];
        for (int i = 0; i < n; i++) ints[i] = (i * 7) % classes;
        Tensor labels = be.labels(ints, n);
        float[][] last = new float[1][];
        Workload wl = new Workload() {
            public float run() {
                Tensor[] lp = be.softmaxCrossEntropy(z, labels);
                float l = lp[0].item();
                Tensor d = be.softmaxCrossEntropyBackward(lp[1], labels, 1f);
                last[0] = d.data();
                return l + d.data()[0];
            }

            public double flops() {
                return 0;
            }

            public void check() {
                Workload ref = loss(n, classes, "reference");
                ref.run();
                run();
                agree("softmax-cross-entropy", ((Outputs) ref).out(), 0, last[0], 0, n * classes, 1e-5);
            }
        };
        return new Holder(wl, () -> last[0]);
    }

    // ---- whole nets ----

    /**
     * One training step (forward, loss, backward, SGD) or one inference batch (no grad) of a zoo net, each as the
     * training loop runs it (in an Arena, the batch going in as bytes).
     */
    public static Workload net(String name, String mode, int threads, int batch) {
        Recipe net = Recipe.of(name);
        int b = batch > 0 ? batch : net.batchSize();
        Backends.use(Backends.open("cpu", threads));
        Layer layer = net.create(0);
        TrainStep step = new TrainStep(layer, b, net.input(), net.lr());
        double forward;
        try (var g = NoGrad.open()) {
            Tensor one = Tensor.of(HashFill.unit(1, net.imageSide() * net.imageSide()), 1, 1, net.imageSide(), net.imageSide());
            forward = FlopCounter.count(() -> layer.forward(new Variable(one))).flops();
        }
        return new Workload() {
            // as the training loop and evaluation run them: the batch as bytes (Backend.images), the step in an Arena,
            // so the CPU backend reuses its arrays from step to step (see TrainStep.runResident)
            public float run() {
                if (mode.equals("train")) step.runResident();
                else step.inferResident();
                return step.checksum();
            }

            public double flops() { // a training step costs about three forward passes
                return (mode.equals("train") ? 3 : 1) * forward * b;
            }
        };
    }

    /** Access to the last output, for the agreement checks. */
    interface Outputs {
        float[] out();
    }

    private record Holder(Workload inner, java.util.function.Supplier<float[]> last) implements Workload, Outputs {
        public float run() { return inner.run(); }
        public double flops() { return inner.flops(); }
        public void check() { inner.check(); }
        public float[] out() { return last.get(); }
    }
}
