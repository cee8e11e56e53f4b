package d2l4j.tensor;

import java.util.Arrays;

/**
 * An n-dimensional float32 array: a {@link Layout} over a {@code float[]} storage. Views (reshape of a
 * contiguous tensor, transpose, slice) share the storage; everything else makes a new tensor through the
 * current {@link Backend}. Tensors are mutable only through explicit in-place calls ({@link #copyFrom},
 * {@link #set}); the operations below never change their inputs.
 */
public final class Tensor {
    private final Storage storage;
    private final Layout layout;

    public Tensor(float[] data, Layout layout) {
        this(Storage.of(data), layout);
    }

    /** A tensor over any storage, e.g. a device buffer of the OpenCL backend. */
    public Tensor(Storage storage, Layout layout) {
        if (layout.numel() > 0) {
            int last = layout.offset();
            for (int i = 0; i < layout.rank(); i++) last += (layout.shape()[i] - 1) * layout.strides()[i];
            if (layout.offset() < 0 || last >= storage.length()) {
                throw new IllegalArgumentException(layout + " reaches past a storage of " + storage.length() + " floats");
            }
        }
        this.storage = storage;
        this.layout = layout;
    }

    // ---- creation ----

    /** Wraps {@code data} (not copied) as a contiguous tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        if (data.length != Shape.numel(shape)) {
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + Shape.numel(shape)
                    + " values, got " + data.length);
        }
        return new Tensor(data, Layout.contiguous(shape));
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shape.numel(shape)], Layout.contiguous(shape));
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, Layout.contiguous(shape));
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, Layout.contiguous());
    }

    // ---- metadata ----

    /**
     * The elements in host memory; element {@code idx} lives at {@code data()[layout().index(idx)]}. For a
     * tensor on a device this is a copy to the host (see {@link Storage#host()}).
     */
    public float[] data() {
        return storage.host();
    }

    public Storage storage() {
        return storage;
    }

    public Layout layout() {
        return layout;
    }

    public int[] shape() {
        return layout.shape().clone();
    }

    public int dim(int d) {
        return layout.shape()[layout.dim(d)];
    }

    public int rank() {
        return layout.rank();
    }

    public int numel() {
        return layout.numel();
    }

    public int offset() {
        return layout.offset();
    }

    public boolean isContiguous() {
        return layout.isContiguous();
    }

    public String shapeString() {
        return Shape.str(layout.shape());
    }

    // ---- element access ----

    public float get(int... idx) {
        return storage.read()[layout.index(idx)];
    }

    public void set(float value, int... idx) {
        data()[layout.index(idx)] = value;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1) throw new IllegalStateException("item() needs one element, tensor has shape " + shapeString());
        return storage.read()[layout.offset()];
    }

    /** A fresh row-major copy of the elements. */
    public float[] toArray() {
        Tensor c = contiguous();
        return Arrays.copyOfRange(c.storage.read(), c.offset(), c.offset() + numel());
    }

    /** Overwrites this tensor's elements with {@code src}'s (same shape). */
    public void copyFrom(Tensor src) {
        requireSameShape("copyFrom", src);
        StridedLoops.copy(src, this);
    }

    // ---- views ----

    public Tensor reshape(int... newShape) {
        Tensor c = contiguous();
        return new Tensor(c.storage, c.layout.reshape(newShape));
    }

    public Tensor transpose(int d0, int d1) {
        return new Tensor(storage, layout.transpose(d0, d1));
    }

    public Tensor slice(int dim, int start, int end) {
        return new Tensor(storage, layout.slice(dim, start, end));
    }

    /** This tensor if contiguous, else a row-major copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : Backends.current().contiguous(this);
    }

    // ---- elementwise, with broadcasting ----

    public Tensor add(Tensor o) { return Backends.current().binary(BinaryOp.ADD, this, o); }
    public Tensor sub(Tensor o) { return Backends.current().binary(BinaryOp.SUB, this, o); }
    public Tensor mul(Tensor o) { return Backends.current().binary(BinaryOp.MUL, this, o); }
    public Tensor div(Tensor o) { return Backends.current().binary(BinaryOp.DIV, this, o); }
    public Tensor maximum(Tensor o) { return Backends.current().binary(BinaryOp.MAX, this, o); }
    public Tensor mul(float s) { return mul(scalar(s)); }
    public Tensor add(float s) { return add(scalar(s)); }
    public Tensor neg() { return Backends.current().unary(UnaryOp.NEG, this); }
    public Tensor exp() { return Backends.current().unary(UnaryOp.EXP, this); }
    public Tensor log() { return Backends.current().unary(UnaryOp.LOG, this); }
    public Tensor sigmoid() { return Backends.current().unary(UnaryOp.SIGMOID, this); }
    public Tensor relu() { return Backends.current().unary(UnaryOp.RELU, this); }

    // ---- reductions ----

    /** Sum of all elements, as a scalar tensor (accumulated in double). */
    public Tensor sum() { return Backends.current().reduce(ReduceOp.SUM, this, -1, false, true); }
    public Tensor sum(int dim, boolean keepDim) { return Backends.current().reduce(ReduceOp.SUM, this, dim, keepDim, false); }
    public Tensor mean() { return Backends.current().reduce(ReduceOp.MEAN, this, -1, false, true); }
    public Tensor mean(int dim, boolean keepDim) { return Backends.current().reduce(ReduceOp.MEAN, this, dim, keepDim, false); }
    public Tensor max(int dim, boolean keepDim) { return Backends.current().reduce(ReduceOp.MAX, this, dim, keepDim, false); }
    /** Index of the first maximum along {@code dim}, as float values (d2l's argmax). */
    public Tensor argmax(int dim) { return Backends.current().reduce(ReduceOp.ARGMAX, this, dim, false, false); }

    /** Sums broadcast dimensions away so the result has {@code target}'s shape (the adjoint of broadcasting). */
    public Tensor sumTo(int[] target) {
        if (Arrays.equals(layout.shape(), target)) return this;
        Tensor t = this;
        int pad = rank() - target.length;
        for (int i = 0; i < pad; i++) t = t.sum(0, false);
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 1 && t.dim(i) != 1) t = t.sum(i, true);
        }
        if (!Arrays.equals(t.layout.shape(), target)) {
            throw new IllegalArgumentException("cannot sum " + shapeString() + " down to " + Shape.str(target));
        }
        return t;
    }

    /**
     * Concatenation along {@code dim} (torch.cat): all tensors agree on every other dimension. Each input
     * is copied into its slice of the result.
     */
    public static Tensor cat(int dim, Tensor... ts) {
        return cat(dim, Tensor::zeros, ts);
    }

    /** {@link #cat(int, Tensor...)} into a tensor made by {@code alloc} (a backend's allocator). */
    public static Tensor cat(int dim, java.util.function.Function<int[], Tensor> alloc, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("cat needs at least one tensor");
        int[] shape = ts[0].shape();
        int d = ts[0].layout().dim(dim);
        int total = 0;
        for (Tensor t : ts) {
            int[] s = t.shape();
            boolean ok = s.length == shape.length;
            for (int i = 0; ok && i < s.length; i++) ok = i == d || s[i] == shape[i];
            if (!ok) {
                throw new IllegalArgumentException("cat along dimension " + d + ": shape " + t.shapeString()
                        + " does not match " + ts[0].shapeString() + " outside that dimension");
            }
            total += s[d];
        }
        shape[d] = total;
        Tensor out = alloc.apply(shape);
        int at = 0;
        for (Tensor t : ts) {
            out.slice(d, at, at + t.dim(d)).copyFrom(t);
            at += t.dim(d);
        }
        return out;
    }

    public void requireSameShape(String what, Tensor o) {
        if (!Arrays.equals(layout.shape(), o.layout.shape())) {
            throw new IllegalArgumentException(what + ": expected shape " + shapeString() + ", got " + o.shapeString());
        }
    }

    @Override
    public String toString() {
        int n = Math.min(numel(), 8);
        float[] head = Arrays.copyOf(toArray(), n);
        return "Tensor" + shapeString() + Arrays.toString(head) + (numel() > n ? "..." : "");
    }
}
