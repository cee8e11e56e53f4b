package d2l4j.tensor;

/**
 * The plain-Java meaning of the elementwise operations and reductions on any layout (strided, broadcast,
 * offset). Backends use these as their default and may override contiguous fast paths.
 */
public final class StridedLoops {
    private StridedLoops() {}

    /** Calls {@code body} once per element of {@code shape} with the storage positions in each layout. */
    interface Visitor {
        void visit(int i0, int i1, int i2);
    }

    /**
     * Odometer walk over {@code shape}, tracking three layouts' positions at once (the innermost dimension
     * in a tight loop). Layouts must all have {@code shape}'s rank.
     */
    static void walk(int[] shape, Layout l0, Layout l1, Layout l2, Visitor v) {
        int rank = shape.length;
        if (Shape.numel(shape) == 0) return;
        if (rank == 0) {
            v.visit(l0.offset(), l1.offset(), l2.offset());
            return;
        }
        int[] idx = new int[rank];
        int last = rank - 1;
        int n = shape[last];
        int s0 = l0.strides()[last], s1 = l1.strides()[last], s2 = l2.strides()[last];
        int p0 = l0.offset(), p1 = l1.offset(), p2 = l2.offset();
        while (true) {
            for (int j = 0; j < n; j++) v.visit(p0 + j * s0, p1 + j * s1, p2 + j * s2);
            int d = last - 1;
            while (d >= 0) {
                idx[d]++;
                p0 += l0.strides()[d];
                p1 += l1.strides()[d];
                p2 += l2.strides()[d];
                if (idx[d] < shape[d]) break;
                p0 -= idx[d] * l0.strides()[d];
                p1 -= idx[d] * l1.strides()[d];
                p2 -= idx[d] * l2.strides()[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) return;
        }
    }

    public static void copy(Tensor src, Tensor dst) {
        float[] s = src.data(), d = dst.data();
        walk(dst.layout().shape(), src.layout(), dst.layout(), dst.layout(), (i, j, unused) -> d[j] = s[i]);
    }

    public static Tensor contiguous(Tensor x) {
        return contiguous(x, Tensor.zeros(x.shape()));
    }

    /** x's elements copied into {@code out} (contiguous, x's shape), which is returned. */
    public static Tensor contiguous(Tensor x, Tensor out) {
        copy(x, out);
        return out;
    }

    public static Tensor unary(UnaryOp op, Tensor x) {
        return unary(op, x, Tensor.zeros(x.shape()));
    }

    /** op(x) written into {@code out} (contiguous, x's shape), which is returned. */
    public static Tensor unary(UnaryOp op, Tensor x, Tensor out) {
        float[] s = x.data(), d = out.data();
        walk(x.layout().shape(), x.layout(), out.layout(), out.layout(), (i, j, unused) -> d[j] = op.apply(s[i]));
        return out;
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return binary(op, a, b, Tensor.zeros(Shape.broadcast(a.layout().shape(), b.layout().shape())));
    }

    /** op(a, b) broadcast, written into {@code out} (contiguous, of the broadcast shape), which is returned. */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        int[] shape = Shape.broadcast(a.layout().shape(), b.layout().shape());
        float[] x = a.data(), y = b.data(), d = out.data();
        walk(shape, a.layout().broadcastTo(shape), b.layout().broadcastTo(shape), out.layout(),
                (i, j, k) -> d[k] = op.apply(x[i], y[j]));
        return out;
    }

    /**
     * Reduction along {@code dim} (or over everything when {@code all}). The input is viewed as
     * [outer, n, inner]; each output element reduces n values in index order, so results are deterministic.
     */
    public static Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim, boolean all) {
        Tensor c = x.contiguous();
        if (all) c = c.reshape(c.numel());
        int[] shape = c.layout().shape();
        int d = all ? 0 : c.layout().dim(dim);
        int n = shape[d];
        if (n == 0 && (op == ReduceOp.MAX || op == ReduceOp.ARGMAX)) {
            throw new IllegalArgumentException(op + " of an empty dimension, shape " + x.shapeString());
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        float[] s = c.data();
        int base = c.offset();
        float[] out = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int p = base + o * n * inner + in;
                out[o * inner + in] = switch (op) {
                    case SUM, MEAN -> {
                        double acc = 0;
                        for (int j = 0; j < n; j++) acc += s[p + j * inner];
                        yield (float) (op == ReduceOp.MEAN ? acc / n : acc);
                    }
                    case MAX, ARGMAX -> {
                        int best = 0;
                        for (int j = 1; j < n; j++) {
                            if (s[p + j * inner] > s[p + best * inner]) best = j;
                        }
                        yield op == ReduceOp.MAX ? s[p + best * inner] : best;
                    }
                };
            }
        }
        int[] outShape;
        if (all) {
            outShape = new int[0];
        } else {
            outShape = keepDim ? shape.clone() : new int[shape.length - 1];
            if (keepDim) outShape[d] = 1;
            else for (int i = 0, j = 0; i < shape.length; i++) if (i != d) outShape[j++] = shape[i];
        }
        return Tensor.of(out, outShape);
    }
}
