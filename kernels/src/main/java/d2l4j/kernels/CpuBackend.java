package d2l4j.kernels;

import d2l4j.tensor.Backend;
import d2l4j.tensor.BinaryOp;
import d2l4j.tensor.ConvGeometry;
import d2l4j.tensor.DeviceCounters;
import d2l4j.tensor.Layout;
import d2l4j.tensor.PoolGeometry;
import d2l4j.tensor.Shape;
import d2l4j.tensor.StridedLoops;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.UnaryOp;
import d2l4j.tensor.Window2d;
import java.util.Arrays;

/**
 * The CPU {@link Backend}: tensors in Java float arrays, kernels from {@link CpuKernels} (the Vector API
 * versions when jdk.incubator.vector is present, else the plain-Java reference loops), work split over a
 * fixed {@link Parallel} pool. Splits depend only on sizes and the thread count, so results are
 * bit-identical run to run for a given thread count.
 */
public final class CpuBackend implements Backend {
    /** Below this many elements an elementwise kernel runs on the calling thread: forking costs more. */
    private static final int PARALLEL_MIN = 1 << 15;

    private final CpuKernels k;
    private final Parallel par;
    private final Convolution conv;
    private final HostPool pool = new HostPool();

    /** The best kernels on every available processor (what ServiceLoader finds). */
    public CpuBackend() {
        this(CpuKernels.best(), Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(CpuKernels kernels, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.k = kernels;
        this.par = Parallel.of(threads);
        this.conv = new Convolution(kernels, par);
    }

    @Override
    public String name() {
        return "cpu (" + k.name() + ", " + par.threads() + (par.threads() == 1 ? " thread)" : " threads)");
    }

    public CpuKernels kernels() {
        return k;
    }

    public int threads() {
        return par.threads();
    }

    // ---- memory: inside an Arena (a training step) outputs come from the pool and go back when it closes ----

    /**
     * A new tensor for a kernel to overwrite entirely: inside an arena an array from the {@link HostPool}, not
     * zeroed (every method below writes every element of what it gets from here), else a fresh array.
     */
    private Tensor out(int... shape) {
        return new Tensor(pool.take(Shape.numel(shape), false), Layout.contiguous(shape));
    }

    /** The pool's allocations: arrays made inside an arena because none of the size was free (0 in a steady step). */
    @Override
    public DeviceCounters counters() {
        return new DeviceCounters(0, pool.allocations(), pool.allocatedBytes(), 0, 0, 0);
    }

    @Override
    public Tensor zeros(int... shape) {
        return new Tensor(pool.take(Shape.numel(shape), true), Layout.contiguous(shape));
    }

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        Tensor c = out(transA ? a.dim(1) : a.dim(0), transB ? b.dim(0) : b.dim(1));
        gemm(transA, transB, a, b, 0f, c); // beta = 0: C is written, never read
        return c;
    }

    /** y = x·Wᵀ + b: every row starts as the bias (or the product overwrites it: beta = 0), then the product. */
    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int n = x.dim(0), outs = weight.dim(0);
        Tensor y = out(n, outs);
        if (bias != null) {
            Tensor b = bias.contiguous();
            for (int i = 0; i < n; i++) System.arraycopy(b.data(), b.offset(), y.data(), i * outs, outs);
        }
        gemm(false, true, x, weight, bias == null ? 0f : 1f, y);
        return y;
    }

    // ---- layout: the strided loops, into arrays from the pool ----

    @Override
    public Tensor contiguous(Tensor x) {
        return StridedLoops.contiguous(x, out(x.shape()));
    }

    @Override
    public Tensor narrow(Tensor x, int dim, int start, int length) {
        return contiguous(x.slice(dim, start, start + length));
    }

    @Override
    public Tensor cat(int dim, Tensor... ts) {
        return Tensor.cat(dim, this::out, ts); // every element of the result is copied from an input
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return StridedLoops.unary(op, x, out(x.shape()));
    }

    // ---- elementwise fast path: same-shape contiguous operands ----

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        boolean simple = (op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL)
                && a.isContiguous() && b.isContiguous() && Arrays.equals(a.layout().shape(), b.layout().shape());
        if (!simple) return StridedLoops.binary(op, a, b, out(Shape.broadcast(a.layout().shape(), b.layout().shape())));
        Tensor y = out(a.shape());
        chunks(a.numel(), (from, len) -> {
            switch (op) {
                case ADD -> k.elementwise().add(a.data(), a.offset() + from, b.data(), b.offset() + from, y.data(), from, len);
                case SUB -> k.elementwise().sub(a.data(), a.offset() + from, b.data(), b.offset() + from, y.data(), from, len);
                default -> k.elementwise().mul(a.data(), a.offset() + from, b.data(), b.offset() + from, y.data(), from, len);
            }
        });
        return y;
    }

    // ---- GEMM ----

    @Override
    public void gemm(boolean transA, boolean transB, Tensor a, Tensor b, float beta, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2 || !c.isContiguous()) {
            throw new IllegalArgumentException("gemm: expected 2-D operands and a contiguous 2-D output, got "
                    + a.shapeString() + ", " + b.shapeString() + " -> " + c.shapeString());
        }
        // A transposed view of a contiguous matrix is used as it lies, with the transpose flag flipped.
        Operand pa = Operand.of(a, transA), pb = Operand.of(b, transB);
        int m = c.dim(0), n = c.dim(1), kk = pa.cols;
        if (pa.rows != m || pb.cols != n || pb.rows != kk) {
            throw new IllegalArgumentException("gemm: op(A) " + pa.rows + "x" + pa.cols + " times op(B) " + pb.rows + "x"
                    + pb.cols + " does not give C " + c.shapeString());
        }
        k.gemm().gemm(par, pa.trans, pb.trans, m, n, kk, pa.data, pa.off, pa.ld, pb.data, pb.off, pb.ld, beta, c.data(), c.offset(), n);
    }

    /** A matrix operand as (array, offset, leading dimension, transposed?) seen as op(X), rows × cols. */
    private record Operand(float[] data, int off, int ld, boolean trans, int rows, int cols) {
        static Operand of(Tensor t, boolean trans) {
            int r = t.dim(0), c = t.dim(1);
            int[] st = t.layout().strides();
            int rows = trans ? c : r, cols = trans ? r : c;
            if (st[1] == 1 || c == 1) return new Operand(t.data(), t.offset(), Math.max(st[0], c), trans, rows, cols);
            if (st[0] == 1 || r == 1) return new Operand(t.data(), t.offset(), Math.max(st[1], r), !trans, rows, cols);
            Tensor cc = t.contiguous();
            return new Operand(cc.data(), cc.offset(), c, trans, rows, cols);
        }
    }

    // ---- convolution ----

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d win) {
        ConvGeometry g = ConvGeometry.of(x.shape(), weight.shape(), win);
        Tensor y = out(g.yShape());
        conv.forward(g, dense(x), dense(weight), bias == null ? null : dense(bias), y.data());
        return y;
    }

    @Override
    public Tensor conv2dBackwardData(Tensor dy, Tensor weight, int[] xs, Window2d win) {
        ConvGeometry g = ConvGeometry.of(xs, weight.shape(), win);
        Tensor dx = out(xs);
        conv.backwardData(g, dense(dy), dense(weight), dx.data());
        return dx;
    }

    @Override
    public Tensor[] conv2dBackwardWeight(Tensor x, Tensor dy, int[] ws, boolean withBias, Window2d win) {
        ConvGeometry g = ConvGeometry.of(x.shape(), ws, win);
        Tensor dw = out(ws);
        Tensor db = withBias ? out(ws[0]) : null;
        conv.backwardWeight(g, dense(x), dense(dy), dw.data(), db == null ? null : db.data());
        return new Tensor[] {dw, db};
    }

    // ---- pooling: split over the images of the batch ----

    @Override
    public Tensor avgPool2d(Tensor x, Window2d win) {
        return pool(x, win, false);
    }

    @Override
    public Tensor maxPool2d(Tensor x, Window2d win) {
        return pool(x, win, true);
    }

    private Tensor pool(Tensor x, Window2d w, boolean max) {
        PoolGeometry g = PoolGeometry.of(x.shape(), w);
        Tensor xd = x.contiguous(), y = out(g.yShape());
        perImage(g.n(), (n0, cnt) -> {
            if (max) k.pool().maxForward(g.images(cnt), xd.data(), xd.offset() + n0 * g.xImage(), y.data(), n0 * g.yImage());
            else k.pool().avgForward(g.images(cnt), xd.data(), xd.offset() + n0 * g.xImage(), y.data(), n0 * g.yImage());
        });
        return y;
    }

    @Override
    public Tensor avgPool2dBackward(Tensor dy, int[] xs, Window2d w) {
        PoolGeometry g = PoolGeometry.of(xs, w);
        Tensor gd = dy.contiguous(), dx = out(xs);
        perImage(g.n(), (n0, cnt) -> k.pool().avgBackward(g.images(cnt), gd.data(), gd.offset() + n0 * g.yImage(),
                dx.data(), n0 * g.xImage()));
        return dx;
    }

    @Override
    public Tensor maxPool2dBackward(Tensor x, Tensor dy, Window2d w) {
        PoolGeometry g = PoolGeometry.of(x.shape(), w);
        Tensor xd = x.contiguous(), gd = dy.contiguous(), dx = out(x.shape());
        perImage(g.n(), (n0, cnt) -> k.pool().maxBackward(g.images(cnt), xd.data(), xd.offset() + n0 * g.xImage(),
                gd.data(), gd.offset() + n0 * g.yImage(), dx.data(), n0 * g.xImage()));
        return dx;
    }

    // ---- activations ----

    @Override
    public Tensor sigmoid(Tensor x) {
        Tensor xd = x.contiguous(), y = out(x.shape());
        chunks(x.numel(), (from, len) -> k.activations().sigmoidForward(xd.data(), xd.offset() + from, y.data(), from, len));
        return y;
    }

    @Override
    public Tensor sigmoidBackward(Tensor y, Tensor dy) {
        Tensor yd = y.contiguous(), g = dy.contiguous(), dx = out(y.shape());
        chunks(y.numel(), (from, len) -> k.activations().sigmoidBackward(yd.data(), yd.offset() + from, g.data(), g.offset() + from,
                dx.data(), from, len));
        return dx;
    }

    @Override
    public Tensor relu(Tensor x) {
        Tensor xd = x.contiguous(), y = out(x.shape());
        chunks(x.numel(), (from, len) -> k.activations().reluForward(xd.data(), xd.offset() + from, y.data(), from, len));
        return y;
    }

    @Override
    public Tensor reluBackward(Tensor x, Tensor dy) {
        Tensor xd = x.contiguous(), g = dy.contiguous(), dx = out(x.shape());
        chunks(x.numel(), (from, len) -> k.activations().reluBackward(xd.data(), xd.offset() + from, g.data(), g.offset() + from,
                dx.data(), from, len));
        return dx;
    }

    // ---- loss and update ----

    @Override
    public Tensor[] softmaxCrossEntropy(Tensor logits, Tensor labels) {
        Tensor z = logits.contiguous(), prob = out(logits.shape());
        float loss = k.loss().forward(z.data(), z.offset(), z.dim(0), z.dim(1), ints(labels), prob.data(), 0);
        return new Tensor[] {Tensor.scalar(loss), prob};
    }

    @Override
    public Tensor softmaxCrossEntropyBackward(Tensor prob, Tensor labels, float dLoss) {
        Tensor p = prob.contiguous(), dz = out(prob.shape());
        k.loss().backward(p.data(), p.offset(), p.dim(0), p.dim(1), ints(labels), dLoss, dz.data(), 0);
        return dz;
    }

    /** Labels held as floats (Backend.labels) back to the class indices the kernels take. */
    private static int[] ints(Tensor labels) {
        float[] f = labels.toArray();
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) v[i] = (int) f[i];
        return v;
    }

    @Override
    public void sgdUpdate(Tensor w, Tensor g, float lr) {
        w.requireSameShape("sgd update", g);
        if (!w.isContiguous()) throw new IllegalArgumentException("sgd update: parameters must be contiguous");
        Tensor gd = g.contiguous();
        chunks(w.numel(), (from, len) -> k.elementwise().sgdUpdate(w.data(), w.offset() + from, gd.data(), gd.offset() + from, len, lr));
    }

    // ---- work splitting ----

    private interface Range {
        void run(int from, int len);
    }

    /** Splits [0, n) into one contiguous chunk per thread (or runs inline when small). */
    private void chunks(int n, Range body) {
        if (n < PARALLEL_MIN || par.threads() == 1) {
            body.run(0, n);
            return;
        }
        int parts = par.threads();
        par.run(parts, i -> {
            int from = Parallel.chunkStart(n, parts, i), to = Parallel.chunkStart(n, parts, i + 1);
            if (to > from) body.run(from, to - from);
        });
    }

    /** Splits the batch into one contiguous range of images per thread. */
    private void perImage(int n, Range body) {
        int parts = Math.min(par.threads(), n);
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        par.run(parts, i -> {
            int from = Parallel.chunkStart(n, parts, i), to = Parallel.chunkStart(n, parts, i + 1);
            if (to > from) body.run(from, to - from);
        });
    }

    /** The tensor's elements as a dense array starting at 0 (a copy only when needed). */
    private static float[] dense(Tensor t) {
        return t.isContiguous() && t.offset() == 0 ? t.data() : t.toArray();
    }
}
