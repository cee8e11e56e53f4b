package d2l4j.tensor;

import java.util.Arrays;

/**
 * Helpers for shapes, which are plain {@code int[]} throughout d2l4j: {@code [N, C, H, W]} for images,
 * {@code [N, F]} for features. Kept as arrays (not a class) so kernels and layers pass them around freely.
 */
public final class Shape {
    private Shape() {}

    /** Number of elements: the product of the dimensions (1 for a scalar, shape {@code []}). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        return (int) n;
    }

    /** Row-major (C order) strides: the last dimension is contiguous. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** PyTorch's printing of a shape: {@code [256, 16, 5, 5]}. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * NumPy/PyTorch broadcasting: align shapes at the right; each pair of dimensions must be equal or one
     * of them 1. Returns the broadcast shape or throws naming both shapes.
     */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b) + " cannot be broadcast (dimension "
                        + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Resolves one {@code -1} in a reshape target against the element count. */
    public static int[] inferReshape(int[] from, int[] to) {
        int n = numel(from);
        int[] out = to.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape " + str(to) + ": only one dimension can be -1");
                infer = i;
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + str(from) + " (" + n + " elements) into " + str(to));
            }
            out[infer] = (int) (n / known);
        }
        if (numel(out) != n) {
            throw new IllegalArgumentException("cannot reshape " + str(from) + " (" + n + " elements) into " + str(to));
        }
        return out;
    }
}
