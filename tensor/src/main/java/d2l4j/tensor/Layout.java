package d2l4j.tensor;

import java.util.Arrays;

/**
 * Where a tensor's elements sit in its storage: element (i0, i1, ...) is at
 * {@code offset + i0*strides[0] + i1*strides[1] + ...}. Kept apart from the storage (as candle's Layout), so
 * views such as transpose, slice and reshape only make a new Layout over the same float array.
 */
public record Layout(int[] shape, int[] strides, int offset) {

    public static Layout contiguous(int... shape) {
        return new Layout(shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shape.numel(shape);
    }

    /** True when elements are laid out row-major without gaps (the offset may be anything). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public int index(int... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(idx) + " has " + idx.length
                    + " coordinates, tensor of shape " + Shape.str(shape) + " needs " + shape.length);
        }
        int at = offset;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of bounds for shape " + Shape.str(shape));
            }
            at += idx[i] * strides[i];
        }
        return at;
    }

    /** Swaps two dimensions: no data moves, only the strides. */
    public Layout transpose(int d0, int d1) {
        d0 = dim(d0);
        d1 = dim(d1);
        int[] sh = shape.clone();
        int[] st = strides.clone();
        sh[d0] = shape[d1];
        sh[d1] = shape[d0];
        st[d0] = strides[d1];
        st[d1] = strides[d0];
        return new Layout(sh, st, offset);
    }

    /** Elements {@code start..end-1} along {@code dim}. */
    public Layout slice(int dim, int start, int end) {
        dim = dim(dim);
        if (start < 0 || end > shape[dim] || start > end) {
            throw new IndexOutOfBoundsException("slice [" + start + ", " + end + ") of dimension " + dim + " in shape " + Shape.str(shape));
        }
        int[] sh = shape.clone();
        sh[dim] = end - start;
        return new Layout(sh, strides.clone(), offset + start * strides[dim]);
    }

    /** A reshape is a view only for contiguous layouts; callers copy first otherwise. */
    public Layout reshape(int[] newShape) {
        if (!isContiguous()) throw new IllegalStateException("reshape of a non-contiguous layout needs a copy first");
        int[] sh = Shape.inferReshape(shape, newShape);
        return new Layout(sh, Shape.contiguousStrides(sh), offset);
    }

    /** The same elements seen with {@code target}'s shape: broadcast dimensions get stride 0. */
    public Layout broadcastTo(int[] target) {
        int pad = target.length - shape.length;
        if (pad < 0) throw new IllegalArgumentException("cannot broadcast " + Shape.str(shape) + " to " + Shape.str(target));
        int[] st = new int[target.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == target[i + pad]) st[i + pad] = strides[i];
            else if (shape[i] == 1) st[i + pad] = 0;
            else throw new IllegalArgumentException("cannot broadcast " + Shape.str(shape) + " to " + Shape.str(target));
        }
        return new Layout(target.clone(), st, offset);
    }

    /** Normalizes a possibly negative dimension index. */
    public int dim(int d) {
        int r = d < 0 ? d + shape.length : d;
        if (r < 0 || r >= shape.length) {
            throw new IllegalArgumentException("dimension " + d + " out of range for shape " + Shape.str(shape));
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && Arrays.equals(shape, l.shape) && Arrays.equals(strides, l.strides) && offset == l.offset;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(strides) + offset;
    }

    @Override
    public String toString() {
        return "Layout" + Shape.str(shape) + " strides " + Arrays.toString(strides) + " offset " + offset;
    }
}
