package d2l4j.opencl;

import d2l4j.tensor.Arena;
import d2l4j.tensor.Backend;
import d2l4j.tensor.BinaryOp;
import d2l4j.tensor.ConvGeometry;
import d2l4j.tensor.DeviceCounters;
import d2l4j.tensor.Layout;
import d2l4j.tensor.Philox;
import d2l4j.tensor.PoolGeometry;
import d2l4j.tensor.ReduceOp;
import d2l4j.tensor.Resize;
import d2l4j.tensor.Shape;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.UnaryOp;
import d2l4j.tensor.Window2d;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.cl_mem;

/**
 * The {@link Backend} on an OpenCL device. Tensors it creates live in device memory ({@link ClStorage})
 * and stay there: the network, its gradients and activations; per training step only the batch goes up
 * ({@link #images}, {@link #labels}) and only what the caller reads comes down (the metrics). The kernels
 * are in the .cl resources next to this class, each with its formula and shapes; the GEMM and the three
 * convolution directions share one tiled product (tile.cl) whose tile {@link ClTuner} picks per device.
 *
 * <p>Operations without a kernel here (broadcasting or dividing elementwise ops, most reductions,
 * non-contiguous copies) run the interface's host defaults, which copy through host memory. Inside an
 * {@link Arena} (a training or inference step) that is refused with an error naming the operation: a
 * step must not silently cross the bus. Host tensors given to an operation are likewise uploaded only
 * outside a step; inside, they must come through {@link #toDevice}, {@link #images} or {@link #labels}.
 */
public final class OpenClBackend implements Backend {
    private final ClContext cl;
    private final Map<Long, Tensor[]> resizeTables = new HashMap<>();
    private Tensor byteScale;

    OpenClBackend(ClContext cl) {
        this.cl = cl;
    }

    /** Turns profiling on for {@link #open(int)} when "true" (as D2L4J_OPENCL_PROFILE=1 does). */
    public static final String PROFILE_PROPERTY = "d2l4j.opencl.profile";

    /**
     * Opens device {@code index} (over all platforms); throws naming what is missing. Profiling (the per-kernel
     * table): D2L4J_OPENCL_PROFILE=1 or the system property {@value #PROFILE_PROPERTY}=true.
     */
    public static OpenClBackend open(int index) {
        boolean profile = "1".equals(System.getenv("D2L4J_OPENCL_PROFILE")) || Boolean.getBoolean(PROFILE_PROPERTY);
        return open(index, profile, null);
    }

    /**
     * Opens device {@code index}, with OpenCL profiling events when {@code profile} (see
     * {@link #profileTable}), and the GEMM tile {@code tile} (a {@link TileConfig} name; null: the tuner's).
     */
    public static OpenClBackend open(int index, boolean profile, String tile) {
        return new OpenClBackend(ClContext.open(index, profile, tile));
    }

    ClContext context() {
        return cl;
    }

    /** Waits until every queued kernel has run. */
    public void finish() {
        cl.finish();
    }

    @Override
    public void sync() {
        cl.finish();
    }

    @Override
    public DeviceCounters counters() {
        return cl.counters();
    }

    /** The GEMM/convolution tile in use (the tuner's choice, or the forced one). */
    public String tile() {
        return cl.tile.name();
    }

    /** The names of every tile this device can run (for tests and the bench). */
    public List<String> tiles() {
        return ClTuner.candidates(cl).stream().map(TileConfig::name).toList();
    }

    /** Whether the kernels came from the on-disk binary cache rather than the compiler. */
    public boolean programFromCache() {
        return cl.programFromCache;
    }

    /** Per-kernel launches, time and GFLOP/s since the last reset (needs profiling on; waits first). */
    public String profileTable() {
        if (cl.profile == null) return "profiling is off (D2L4J_OPENCL_PROFILE=1 turns it on)\n";
        cl.finish();
        return cl.profile.table();
    }

    public void resetProfile() {
        if (cl.profile != null) {
            cl.finish();
            cl.profile.reset();
        }
    }

    @Override
    public String name() {
        return "opencl (" + cl.description + ")";
    }

    // ---- moving data ----

    /** A device tensor of the given shape (contents undefined until a kernel writes them). */
    private Tensor empty(int... shape) {
        return new Tensor(new ClStorage(cl, Math.max(1, Shape.numel(shape))), Layout.contiguous(shape));
    }

    @Override
    public Tensor zeros(int... shape) {
        Tensor t = empty(shape);
        ClStorage s = (ClStorage) t.storage();
        cl.fill(s.mem(), 0f, s.length());
        return t;
    }

    @Override
    public Tensor toDevice(Tensor t) {
        Tensor c = t.contiguous();
        if (c.storage() instanceof ClStorage s && s.context() == cl && c.offset() == 0) return c;
        return new Tensor(ClStorage.upload(cl, c.data(), c.offset(), c.numel()), Layout.contiguous(c.shape()));
    }

    /** A contiguous device view of {@code t}: its own buffer and offset, or (outside a step) an upload. */
    private record Buf(cl_mem mem, int off) {}

    private Buf buf(Tensor t) {
        Tensor c = t.isContiguous() ? t : t.contiguous();
        if (c.storage() instanceof ClStorage s && s.context() == cl) return new Buf(s.mem(), c.offset());
        if (Arena.current() != null) {
            throw new IllegalStateException(name() + ": a host tensor " + t.shapeString() + " reached a kernel inside a step; "
                    + "move it once with toDevice (parameters: Layer.toDevice) instead of uploading it every step");
        }
        return new Buf(ClStorage.upload(cl, c.data(), c.offset(), c.numel()).mem(), 0);
    }

    /** The buffer a kernel is about to write (current values first, for in-place updates and beta = 1). */
    private static cl_mem out(Tensor t) {
        ClStorage s = (ClStorage) t.storage();
        cl_mem m = s.mem();
        s.deviceWritten();
        return m;
    }

    /** A host default inside a step is an error; outside (tests, tools) it is allowed, and copies. */
    private void hostFallback(String op, Tensor x) {
        if (Arena.current() != null) {
            throw new IllegalStateException(name() + " has no kernel for " + op + " of " + x.shapeString()
                    + ": refusing to copy through host memory inside a step");
        }
    }

    @Override
    public Tensor contiguous(Tensor x) {
        hostFallback("a strided copy", x);
        return Backend.super.contiguous(x);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        hostFallback(op.toString(), x);
        return Backend.super.unary(op, x);
    }

    // ---- the batch going in, the metrics coming out ----

    @Override
    public Tensor images(byte[] pixels, int offset, int n, int in, int out) {
        int bytes = n * in * in;
        if (offset < 0 || bytes < 0 || offset > pixels.length - bytes) {
            throw new IllegalArgumentException("images: " + n + " images of " + in + "x" + in + " need " + bytes
                    + " bytes from offset " + offset + ", the array has " + pixels.length);
        }
        ClStorage px = new ClStorage(cl, (bytes + 3) / 4);
        cl.write(px.mem(), pixels, offset, bytes);
        Tensor[] t = in == out ? null : resizeTables(in, out);
        cl_mem none = px.mem();
        Tensor y = empty(n, 1, out, out);
        cl.run1d("images_from_bytes", n * out * out, px.mem(), n, in, out, buf(scaleTable()).mem,
                t == null ? none : buf(t[0]).mem, t == null ? none : buf(t[1]).mem,
                t == null ? none : buf(t[2]).mem, t == null ? none : buf(t[3]).mem, out(y));
        return y;
    }

    /** p/255 for every byte p, computed in Java (exact), uploaded once. */
    private synchronized Tensor scaleTable() {
        if (byteScale == null) {
            float[] s = new float[256];
            for (int p = 0; p < 256; p++) s[p] = p / 255f;
            byteScale = outsideArena(Tensor.of(s, 256));
        }
        return byteScale;
    }

    /** Resize's index and weight tables for in → out, uploaded once. */
    private synchronized Tensor[] resizeTables(int in, int out) {
        return resizeTables.computeIfAbsent(((long) in << 32) | out, key -> {
            Resize r = new Resize(in, out);
            int[][] idx = r.indices();
            float[][] w = r.weights();
            float[] i0 = new float[out], i1 = new float[out];
            for (int i = 0; i < out; i++) {
                i0[i] = idx[0][i];
                i1[i] = idx[1][i];
            }
            return new Tensor[] {outsideArena(Tensor.of(i0, out)), outsideArena(Tensor.of(i1, out)),
                    outsideArena(Tensor.of(w[0], out)), outsideArena(Tensor.of(w[1], out))};
        });
    }

    /** An upload that lives as long as this backend (not released with the current step). */
    private Tensor outsideArena(Tensor host) {
        Tensor d = toDevice(host);
        Arena a = Arena.current();
        if (a != null) a.keep(d);
        return d;
    }

    @Override
    public Tensor labels(int[] labels, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = labels[i];
        return new Tensor(ClStorage.upload(cl, f, 0, n), Layout.contiguous(n));
    }

    @Override
    public void accumulateMetrics(Tensor sums, Tensor loss, Tensor logits, Tensor labels) {
        if (sums.numel() != 3 || !(sums.storage() instanceof ClStorage)) {
            throw new IllegalArgumentException("metrics: expected sums [3] made by this backend's zeros(3), got " + sums.shapeString());
        }
        Buf z = buf(logits), lab = buf(labels), l = loss == null ? null : buf(loss);
        cl_mem s = out(sums);
        cl.run("accumulate_metrics", new long[] {1}, new long[] {1}, s, l == null ? s : l.mem, l == null ? 0 : 1, z.mem,
                z.off, logits.dim(0), logits.dim(1), lab.mem);
    }

    @Override
    public Tensor dropoutMask(int[] shape, float p, long seed, int epoch, int step, int layer) {
        Tensor m = empty(shape);
        int n = Shape.numel(shape);
        cl.run1d("dropout_mask", (n + 3) / 4, out(m), n, Philox.threshold(p), 1f / (1f - p), (int) seed, (int) (seed >>> 32),
                epoch, step, layer);
        return m;
    }

    // ---- elementwise and reductions ----

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (op == BinaryOp.MAX || op == BinaryOp.DIV || !Arrays.equals(a.layout().shape(), b.layout().shape())) {
            hostFallback(op + " (broadcasting " + a.shapeString() + " with " + b.shapeString() + ")", a);
            return Backend.super.binary(op, a, b);
        }
        Buf x = buf(a), y = buf(b);
        Tensor r = empty(a.shape());
        cl.run1d("binary", a.numel(), op.ordinal(), x.mem, x.off, y.mem, y.off, out(r), a.numel());
        return r;
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim, boolean all) {
        // Linear's bias gradient: the column sums of a 2-D matrix
        if (op == ReduceOp.SUM && !all && x.rank() == 2 && x.layout().dim(dim) == 0) {
            Buf in = buf(x);
            int rows = x.dim(0), cols = x.dim(1);
            Tensor r = empty(keepDim ? new int[] {1, cols} : new int[] {cols});
            cl.run1d("sum_rows", cols, in.mem, in.off, rows, cols, out(r));
            return r;
        }
        hostFallback(op + (all ? " of all elements" : " along dimension " + dim), x);
        return Backend.super.reduce(op, x, dim, keepDim, all);
    }

    // ---- linear layers and concatenation, kept on the device ----

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int n = x.dim(0), out = weight.dim(0);
        Tensor y = empty(n, out);
        gemm(false, true, x, weight, 0f, y);
        if (bias != null) {
            Buf b = buf(bias);
            cl.run1d("add_channel_bias", n * out, out(y), b.mem, b.off, out, 1, n * out);
        }
        return y;
    }

    /**
     * torch.cat as block copies: seen as [outer, size(dim), inner], input i lands at offset (Σ earlier
     * sizes)·inner of each of the result's outer blocks.
     */
    @Override
    public Tensor cat(int dim, Tensor... ts) {
        int[] shape = ts[0].shape();
        int d = ts[0].layout().dim(dim);
        int total = 0;
        for (Tensor t : ts) {
            if (t.rank() != shape.length) {
                hostFallback("cat of tensors of different ranks", t);
                return Backend.super.cat(dim, ts);
            }
            total += t.dim(d);
        }
        shape[d] = total;
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        Tensor y = empty(shape);
        cl_mem ym = out(y);
        int at = 0;
        for (Tensor t : ts) {
            int block = t.dim(d) * inner;
            Buf b = buf(t);
            cl.run1d("copy_blocks", outer * block, b.mem, b.off, block, ym, at * inner, total * inner, block, outer);
            at += t.dim(d);
        }
        return y;
    }

    @Override
    public Tensor narrow(Tensor x, int dim, int start, int length) {
        int[] shape = x.shape();
        int d = x.layout().dim(dim);
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        int full = shape[d];
        shape[d] = length;
        Buf b = buf(x);
        Tensor y = empty(shape);
        int block = length * inner;
        cl.run1d("copy_blocks", outer * block, b.mem, b.off + start * inner, full * inner, out(y), 0, block, block, outer);
        return y;
    }

    // ---- GEMM ----

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        Tensor c = empty(transA ? a.dim(1) : a.dim(0), transB ? b.dim(0) : b.dim(1));
        gemm(transA, transB, a, b, 0f, c);
        return c;
    }

    @Override
    public void gemm(boolean transA, boolean transB, Tensor a, Tensor b, float beta, Tensor c) {
        int m = c.dim(0), n = c.dim(1), k = transA ? a.dim(0) : a.dim(1);
        int am = transA ? a.dim(1) : a.dim(0), bk = transB ? b.dim(1) : b.dim(0), bn = transB ? b.dim(0) : b.dim(1);
        if (am != m || bk != k || bn != n || !c.isContiguous()) {
            throw new IllegalArgumentException("gemm: op(A) " + am + "x" + k + " times op(B) " + bk + "x" + bn
                    + " does not give C " + c.shapeString());
        }
        Buf pa = buf(a), pb = buf(b);
        int lda = a.contiguous().dim(1), ldb = b.contiguous().dim(1);
        if (c.storage() instanceof ClStorage cs && cs.context() == cl) {
            gemm(cl, transA, transB, m, n, k, pa.mem, pa.off, lda, pb.mem, pb.off, ldb, beta, out(c), c.offset(), n);
        } else { // a host output (tests, tools): compute on the device, copy the result into the caller's array
            hostFallback("gemm into a host tensor", c);
            Tensor tmp = beta == 0 ? empty(m, n) : toDevice(c);
            gemm(cl, transA, transB, m, n, k, pa.mem, pa.off, lda, pb.mem, pb.off, ldb, beta, out(tmp), 0, n);
            System.arraycopy(tmp.toArray(), 0, c.data(), c.offset(), m * n);
        }
    }

    /** C (m×n, ldc) = op(A)·op(B) + beta·C on device buffers: one launch of gemm_nn/nt/tn/tt (tile.cl). */
    static void gemm(ClContext cl, boolean transA, boolean transB, int m, int n, int k, cl_mem a, int aOff, int lda,
                     cl_mem b, int bOff, int ldb, float beta, cl_mem c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        String name = "gemm_" + (transA ? 't' : 'n') + (transB ? 't' : 'n');
        cl.run(name, 2.0 * m * n * k, grid(cl.tile, m, n), local(cl.tile), m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Work-items for an M×N result: one work-group per MWG×NWG tile. */
    private static long[] grid(TileConfig t, long rows, long cols) {
        return new long[] {(cols + t.nwg() - 1) / t.nwg() * t.ndimc(), (rows + t.mwg() - 1) / t.mwg() * t.mdimc()};
    }

    private static long[] local(TileConfig t) {
        return new long[] {t.ndimc(), t.mdimc()};
    }

    // ---- convolution: implicit GEMM over the whole batch, one launch per direction (conv.cl) ----

    /** The geometry arguments every conv.cl kernel ends with: N, C, H, W, K, R, S, sh, sw, ph, pw, P, Q. */
    private static Object[] args(ConvGeometry g) {
        return new Object[] {g.n(), g.c(), g.h(), g.w(), g.k(), g.r(), g.s(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                g.p(), g.q()};
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d w) {
        return conv2d(x, weight, bias, w, false);
    }

    @Override
    public Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, Window2d w) {
        return conv2d(x, weight, bias, w, true);
    }

    private Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d w, boolean relu) {
        ConvGeometry geo = ConvGeometry.of(x.shape(), weight.shape(), w);
        int n = geo.n(), k = geo.k(), p = geo.p(), q = geo.q(), crs = geo.crs();
        Buf xb = buf(x), wb = buf(weight), bb = bias == null ? wb : buf(bias);
        Tensor y = empty(n, k, p, q);
        cl.run("conv2d_forward", 2.0 * k * crs * n * p * q, grid(cl.tile, k, (long) n * p * q), local(cl.tile),
                concat(new Object[] {xb.mem, xb.off, wb.mem, wb.off, bb.mem, bb.off, bias == null ? 0 : 1, relu ? 1 : 0, out(y)}, args(geo)));
        return y;
    }

    @Override
    public Tensor conv2dBackwardData(Tensor dy, Tensor weight, int[] xs, Window2d w) {
        ConvGeometry geo = ConvGeometry.of(xs, weight.shape(), w);
        Buf g = buf(dy), wb = buf(weight);
        Tensor dx = empty(xs);
        long cols = (long) geo.n() * geo.h() * geo.w();
        cl.run("conv2d_backward_data", 2.0 * geo.c() * cols * geo.k() * geo.r() * geo.s(), grid(cl.tile, geo.c(), cols),
                local(cl.tile), concat(new Object[] {g.mem, g.off, wb.mem, wb.off, out(dx)}, args(geo)));
        return dx;
    }

    @Override
    public Tensor[] conv2dBackwardWeight(Tensor x, Tensor dy, int[] ws, boolean withBias, Window2d w) {
        ConvGeometry geo = ConvGeometry.of(x.shape(), ws, w);
        int n = geo.n(), k = geo.k(), pq = geo.pq(), crs = geo.crs();
        Buf xb = buf(x), g = buf(dy);
        Tensor dw = empty(ws);
        long kd = (long) n * pq;
        int slices = slices((long) k * crs, kd);
        int chunk = slices == 1 ? (int) Math.max(1, kd) : (int) ((kd + slices - 1) / slices + 15) / 16 * 16;
        slices = (int) ((kd + chunk - 1) / chunk);
        // one slice writes dW itself; more write partial sums, added in slice order
        Tensor part = slices == 1 ? dw : empty(slices * k * crs);
        long[] g2 = grid(cl.tile, k, crs), l2 = local(cl.tile);
        cl.run("conv2d_backward_weight", 2.0 * k * crs * kd, new long[] {g2[0], g2[1], Math.max(1, slices)},
                new long[] {l2[0], l2[1], 1}, concat(new Object[] {xb.mem, xb.off, g.mem, g.off, out(part), chunk},
                args(geo)));
        if (slices > 1) cl.run1d("sum_slices", k * crs, buf(part).mem, slices, k * crs, out(dw));
        Tensor db = null;
        if (withBias) {
            db = empty(k);
            cl.run1d("channel_sum", k, g.mem, g.off, n, k, pq, out(db));
        }
        return new Tensor[] {dw, db};
    }

    /**
     * How many slices the weight gradient's k = N·P·Q is split into: about one per 4096 terms, at most 256,
     * and at most 4 Mi floats of partial sums. A function of the shape only, so that the summation order
     * (and so the result) is the same on every device whatever its tile.
     */
    static int slices(long mn, long kd) {
        long s = Math.min(Math.min(256, (kd + 4095) / 4096), Math.max(1, (4L << 20) / Math.max(1, mn)));
        return (int) Math.max(1, s);
    }

    // ---- pooling ----

    @Override
    public Tensor avgPool2d(Tensor x, Window2d w) {
        return pool("avgpool_forward", x, w);
    }

    @Override
    public Tensor maxPool2d(Tensor x, Window2d w) {
        return pool("maxpool_forward", x, w);
    }

    private Tensor pool(String kernel, Tensor x, Window2d w) {
        PoolGeometry g = PoolGeometry.of(x.shape(), w);
        Buf xb = buf(x);
        Tensor y = empty(g.yShape());
        cl.run1d(kernel, g.n() * g.yImage(), concat(new Object[] {xb.mem, xb.off}, poolArgs(g, out(y))));
        return y;
    }

    @Override
    public Tensor avgPool2dBackward(Tensor dy, int[] xs, Window2d w) {
        PoolGeometry geo = PoolGeometry.of(xs, w);
        Buf g = buf(dy);
        Tensor dx = empty(xs);
        cl.run1d("avgpool_backward", Shape.numel(xs), concat(new Object[] {g.mem, g.off}, poolArgs(geo, out(dx))));
        return dx;
    }

    @Override
    public Tensor maxPool2dBackward(Tensor x, Tensor dy, Window2d w) {
        PoolGeometry geo = PoolGeometry.of(x.shape(), w);
        Buf xb = buf(x), g = buf(dy);
        Tensor dx = empty(x.shape());
        cl.run1d("maxpool_backward", Shape.numel(x.shape()), concat(new Object[] {xb.mem, xb.off, g.mem, g.off},
                poolArgs(geo, out(dx))));
        return dx;
    }

    @Override
    public Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        int[] s = x.shape();
        if (s.length != 4 || outH < 1 || outW < 1) return Backend.super.adaptiveAvgPool2d(x, outH, outW); // its error
        Buf xb = buf(x);
        Tensor y = empty(s[0], s[1], outH, outW);
        cl.run1d("adaptive_avgpool_forward", s[0] * s[1] * outH * outW, xb.mem, xb.off, s[0] * s[1], s[2], s[3], outH, outW, out(y));
        return y;
    }

    @Override
    public Tensor adaptiveAvgPool2dBackward(Tensor dy, int[] xs) {
        Buf g = buf(dy);
        Tensor dx = empty(xs);
        cl.run1d("adaptive_avgpool_backward", Shape.numel(xs), g.mem, g.off, xs[0] * xs[1], xs[2], xs[3], dy.dim(2), dy.dim(3), out(dx));
        return dx;
    }

    /** The arguments every pool.cl kernel ends with: planes N·C, H, W, R, S, sh, sw, ph, pw, P, Q, then the output. */
    private static Object[] poolArgs(PoolGeometry g, cl_mem out) {
        return new Object[] {g.n() * g.c(), g.h(), g.w(), g.r(), g.s(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                g.p(), g.q(), out};
    }

    // ---- activations ----

    private Tensor map(String kernel, Tensor a, Tensor b) {
        Buf x = buf(a);
        Tensor r = empty(a.shape());
        if (b == null) {
            cl.run1d(kernel, a.numel(), x.mem, x.off, out(r), a.numel());
        } else {
            a.requireSameShape(kernel, b);
            Buf y = buf(b);
            cl.run1d(kernel, a.numel(), x.mem, x.off, y.mem, y.off, out(r), a.numel());
        }
        return r;
    }

    @Override public Tensor sigmoid(Tensor x) { return map("sigmoid_forward", x, null); }
    @Override public Tensor sigmoidBackward(Tensor y, Tensor dy) { return map("sigmoid_backward", y, dy); }
    @Override public Tensor relu(Tensor x) { return map("relu_forward", x, null); }
    @Override public Tensor reluBackward(Tensor x, Tensor dy) { return map("relu_backward", x, dy); }

    // ---- loss and update ----

    @Override
    public Tensor[] softmaxCrossEntropy(Tensor logits, Tensor labels) {
        int n = logits.dim(0), classes = logits.dim(1);
        Buf z = buf(logits), lab = buf(labels);
        Tensor p = empty(n, classes), rowLoss = empty(n), loss = empty();
        cl.run1d("softmax_xent_forward", n, z.mem, z.off, n, classes, lab.mem, out(p), out(rowLoss));
        cl.run("mean_loss", new long[] {1}, new long[] {1}, buf(rowLoss).mem, n, out(loss));
        return new Tensor[] {loss, p};
    }

    @Override
    public Tensor softmaxCrossEntropyBackward(Tensor prob, Tensor labels, float dLoss) {
        int n = prob.dim(0), classes = prob.dim(1);
        Buf p = buf(prob), lab = buf(labels);
        Tensor dz = empty(n, classes);
        cl.run1d("softmax_xent_backward", n * classes, p.mem, p.off, n, classes, lab.mem, dLoss, out(dz));
        return dz;
    }

    @Override
    public void sgdUpdate(Tensor w, Tensor g, float lr) {
        w.requireSameShape("sgd update", g);
        if (!(w.storage() instanceof ClStorage s && s.context() == cl) || !w.isContiguous()) {
            // a host parameter (not moved with Layer.toDevice): update it on the host, as the CPU would
            hostFallback("an SGD update of a host parameter", w);
            float[] wd = w.data(), gd = g.contiguous().toArray();
            for (int i = 0; i < gd.length; i++) wd[w.offset() + i] = Math.fma(-lr, gd[i], wd[w.offset() + i]);
            return;
        }
        Buf gb = buf(g);
        cl.run1d("sgd_update", w.numel(), out(w), w.offset(), gb.mem, gb.off, lr, w.numel());
    }
}
