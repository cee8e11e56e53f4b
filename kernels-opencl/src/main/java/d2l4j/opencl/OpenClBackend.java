package d2l4j.opencl;

import d2l4j.tensor.Backend;
import d2l4j.tensor.BinaryOp;
import d2l4j.tensor.Layout;
import d2l4j.tensor.ReduceOp;
import d2l4j.tensor.Shape;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;
import java.util.Arrays;
import org.jocl.cl_mem;

/**
 * The {@link Backend} on an OpenCL device: tensors it creates live in device memory ({@link ClStorage});
 * host tensors given to it (a batch of images) are uploaded for the call. The kernels are in the .cl
 * resources next to this class, each with its formula and shapes. Operations without a kernel here
 * (broadcasting elementwise ops, most reductions, adaptive pooling, concatenation) use the interface's
 * host defaults, which copy through host memory: correct, and rare in the zoo's nets.
 */
public final class OpenClBackend implements Backend {
    private final ClContext cl;

    OpenClBackend(ClContext cl) {
        this.cl = cl;
    }

    /** Opens device {@code index} (over all platforms); throws naming what is missing. */
    public static OpenClBackend open(int index) {
        return new OpenClBackend(ClContext.open(index));
    }

    /** Waits until every queued kernel has run (for timing; results are read with a blocking copy anyway). */
    public void finish() {
        cl.finish();
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

    private Tensor zeros(int... shape) {
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

    /** A contiguous device view of {@code t}: its own buffer and offset, or an upload of a host tensor. */
    private record Buf(cl_mem mem, int off) {}

    private Buf buf(Tensor t) {
        Tensor c = t.isContiguous() ? t : t.contiguous();
        if (c.storage() instanceof ClStorage s && s.context() == cl) return new Buf(s.mem(), c.offset());
        return new Buf(ClStorage.upload(cl, c.data(), c.offset(), c.numel()).mem(), 0);
    }

    /** The buffer a kernel is about to write (current values first, for in-place updates and beta = 1). */
    private static cl_mem out(Tensor t) {
        ClStorage s = (ClStorage) t.storage();
        cl_mem m = s.mem();
        s.deviceWritten();
        return m;
    }

    // ---- elementwise and reductions ----

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (op == BinaryOp.MAX || op == BinaryOp.DIV || !Arrays.equals(a.layout().shape(), b.layout().shape())) {
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
            if (t.rank() != shape.length) return Backend.super.cat(dim, ts);
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
    public void gemm(boolean transA, boolean transB, Tensor a, Tensor b, float beta, Tensor c) {
        int m = c.dim(0), n = c.dim(1), k = transA ? a.dim(0) : a.dim(1);
        int am = transA ? a.dim(1) : a.dim(0), bk = transB ? b.dim(1) : b.dim(0), bn = transB ? b.dim(0) : b.dim(1);
        if (am != m || bk != k || bn != n || !c.isContiguous()) {
            throw new IllegalArgumentException("gemm: op(A) " + am + "x" + k + " times op(B) " + bk + "x" + bn
                    + " does not give C " + c.shapeString());
        }
        Buf pa = buf(a), pb = buf(b);
        if (c.storage() instanceof ClStorage cs && cs.context() == cl) {
            gemm(transA, transB, m, n, k, pa.mem, pa.off, a.contiguous().dim(1), pb.mem, pb.off, b.contiguous().dim(1), beta,
                    out(c), c.offset(), n);
        } else { // a host output: compute on the device, copy the result into the caller's array
            Tensor tmp = beta == 0 ? empty(m, n) : toDevice(c);
            gemm(transA, transB, m, n, k, pa.mem, pa.off, a.contiguous().dim(1), pb.mem, pb.off, b.contiguous().dim(1), beta,
                    out(tmp), 0, n);
            System.arraycopy(tmp.data(), 0, c.data(), c.offset(), m * n);
        }
    }

    /** C (m×n, ldc) = op(A)·op(B) + beta·C on device buffers; A and B with their leading dimensions. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, cl_mem a, int aOff, int lda, cl_mem b, int bOff, int ldb,
              float beta, cl_mem c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        // 16×16 work-items per 64×64 tile of C, 4×4 elements each (gemm.cl)
        long gx = (n + 63) / 64 * 16L, gy = (m + 63) / 64 * 16L;
        cl.run("gemm", new long[] {gx, gy}, new long[] {16, 16}, transA ? 1 : 0, transB ? 1 : 0, m, n, k,
                a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    // ---- convolution: im2col + GEMM per image, col2im for the data gradient ----

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d w) {
        int[] xs = x.shape(), ws = weight.shape();
        check(xs, ws, w);
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], k = ws[0], p = w.outH(h), q = w.outW(wd), crs = c * ws[2] * ws[3];
        Buf xb = buf(x), wb = buf(weight);
        Tensor y = empty(n, k, p, q);
        cl_mem ym = out(y), col = new ClStorage(cl, crs * p * q).mem();
        for (int i = 0; i < n; i++) {
            im2col(xb.mem, xb.off + i * c * h * wd, xs, ws, w, col);
            gemm(false, false, k, p * q, crs, wb.mem, wb.off, crs, col, 0, p * q, 0f, ym, i * k * p * q, p * q);
        }
        if (bias != null) {
            Buf bb = buf(bias);
            cl.run1d("add_channel_bias", n * k * p * q, ym, bb.mem, bb.off, k, p * q, n * k * p * q);
        }
        return y;
    }

    @Override
    public Tensor conv2dBackwardData(Tensor dy, Tensor weight, int[] xs, Window2d w) {
        int[] ws = weight.shape();
        check(xs, ws, w);
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], k = ws[0], p = w.outH(h), q = w.outW(wd), crs = c * ws[2] * ws[3];
        Buf g = buf(dy), wb = buf(weight);
        Tensor dx = empty(xs);
        cl_mem dxm = out(dx), col = new ClStorage(cl, crs * p * q).mem();
        for (int i = 0; i < n; i++) {
            // dcol (CRS×PQ) = Wᵀ (CRS×K) · dy[i] (K×PQ), then scattered back (gathered per input element)
            gemm(true, false, crs, p * q, k, wb.mem, wb.off, crs, g.mem, g.off + i * k * p * q, p * q, 0f, col, 0, p * q);
            cl.run1d("col2im", c * h * wd, col, 0, c, h, wd, ws[2], ws[3], w.strideH(), w.strideW(), w.padH(), w.padW(),
                    p, q, dxm, i * c * h * wd);
        }
        return dx;
    }

    @Override
    public Tensor[] conv2dBackwardWeight(Tensor x, Tensor dy, int[] ws, boolean withBias, Window2d w) {
        int[] xs = x.shape();
        check(xs, ws, w);
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], k = ws[0], p = w.outH(h), q = w.outW(wd), crs = c * ws[2] * ws[3];
        Buf xb = buf(x), g = buf(dy);
        Tensor dw = empty(ws);
        cl_mem dwm = out(dw), col = new ClStorage(cl, crs * p * q).mem();
        for (int i = 0; i < n; i++) {
            // dW (K×CRS) (+)= dy[i] (K×PQ) · colᵀ (PQ×CRS), images summed in order
            im2col(xb.mem, xb.off + i * c * h * wd, xs, ws, w, col);
            gemm(false, true, k, crs, p * q, g.mem, g.off + i * k * p * q, p * q, col, 0, p * q, i == 0 ? 0f : 1f, dwm, 0, crs);
        }
        Tensor db = null;
        if (withBias) {
            db = empty(k);
            cl.run1d("channel_sum", k, g.mem, g.off, n, k, p * q, out(db));
        }
        return new Tensor[] {dw, db};
    }

    private void im2col(cl_mem x, int xOff, int[] xs, int[] ws, Window2d w, cl_mem col) {
        int p = w.outH(xs[2]), q = w.outW(xs[3]);
        cl.run1d("im2col", xs[1] * ws[2] * ws[3] * p * q, x, xOff, xs[1], xs[2], xs[3], ws[2], ws[3], w.strideH(), w.strideW(),
                w.padH(), w.padW(), p, q, col, 0);
    }

    private static void check(int[] xs, int[] ws, Window2d w) {
        if (xs.length != 4 || ws.length != 4 || xs[1] != ws[1] || ws[2] != w.kernelH() || ws[3] != w.kernelW() || !w.fits(xs[2], xs[3])) {
            throw new IllegalArgumentException("conv2d: input " + Shape.str(xs) + " does not fit weight " + Shape.str(ws) + " with " + w);
        }
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
        int[] s = checkPool(x.shape(), w);
        int p = w.outH(s[2]), q = w.outW(s[3]);
        Buf xb = buf(x);
        Tensor y = empty(s[0], s[1], p, q);
        cl.run1d(kernel, s[0] * s[1] * p * q, xb.mem, xb.off, s[0] * s[1], s[2], s[3], w.kernelH(), w.kernelW(), w.strideH(),
                w.strideW(), w.padH(), w.padW(), p, q, out(y));
        return y;
    }

    @Override
    public Tensor avgPool2dBackward(Tensor dy, int[] xs, Window2d w) {
        int[] s = checkPool(xs, w);
        Buf g = buf(dy);
        Tensor dx = empty(xs);
        cl.run1d("avgpool_backward", Shape.numel(xs), g.mem, g.off, s[0] * s[1], s[2], s[3], w.kernelH(), w.kernelW(),
                w.strideH(), w.strideW(), w.padH(), w.padW(), w.outH(s[2]), w.outW(s[3]), out(dx));
        return dx;
    }

    @Override
    public Tensor maxPool2dBackward(Tensor x, Tensor dy, Window2d w) {
        int[] s = checkPool(x.shape(), w);
        Buf xb = buf(x), g = buf(dy);
        Tensor dx = empty(s);
        cl.run1d("maxpool_backward", Shape.numel(s), xb.mem, xb.off, g.mem, g.off, s[0] * s[1], s[2], s[3], w.kernelH(),
                w.kernelW(), w.strideH(), w.strideW(), w.padH(), w.padW(), w.outH(s[2]), w.outW(s[3]), out(dx));
        return dx;
    }

    private static int[] checkPool(int[] s, Window2d w) {
        if (s.length != 4 || !w.fits(s[2], s[3])) {
            throw new IllegalArgumentException("pool2d: expected input [N, C, H, W] that fits " + w + ", got " + Shape.str(s));
        }
        return s;
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
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor prob) {
        int n = logits.dim(0), classes = logits.dim(1);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("cross-entropy: label " + labels[i] + " of row " + i + " is outside 0-" + (classes - 1));
            }
        }
        Buf z = buf(logits);
        Tensor lab = toDevice(Tensor.of(toFloats(labels), n));
        Tensor p = empty(n, classes), rowLoss = empty(n);
        cl.run1d("softmax_xent_forward", n, z.mem, z.off, n, classes, buf(lab).mem, out(p), out(rowLoss));
        // the mean over rows in double on the host (the loss goes to the host anyway), as the CPU kernels do
        double sum = 0;
        for (float v : rowLoss.data()) sum += v;
        prob.copyFrom(p); // the op keeps prob for backward; a device copy when prob is a device tensor
        return (float) (sum / n);
    }

    @Override
    public Tensor softmaxCrossEntropyBackward(Tensor prob, int[] labels, float dLoss) {
        int n = prob.dim(0), classes = prob.dim(1);
        Buf p = buf(prob);
        Tensor lab = toDevice(Tensor.of(toFloats(labels), n));
        Tensor dz = empty(n, classes);
        cl.run1d("softmax_xent_backward", n * classes, p.mem, p.off, n, classes, buf(lab).mem, dLoss, out(dz));
        return dz;
    }

    private static float[] toFloats(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = v[i];
        return f;
    }

    @Override
    public void sgdUpdate(Tensor w, Tensor g, float lr) {
        w.requireSameShape("sgd update", g);
        if (!(w.storage() instanceof ClStorage s && s.context() == cl) || !w.isContiguous()) {
            // a host parameter (not moved with Layer.toDevice): update it on the host, as the CPU would
            float[] wd = w.data(), gd = g.contiguous().toArray();
            for (int i = 0; i < gd.length; i++) wd[w.offset() + i] = Math.fma(-lr, gd[i], wd[w.offset() + i]);
            return;
        }
        Buf gb = buf(g);
        cl.run1d("sgd_update", w.numel(), out(w), w.offset(), gb.mem, gb.off, lr, w.numel());
    }
}
