package d2l4j.kernels;

import d2l4j.tensor.ConvGeometry;

/**
 * 2-D convolution on the CPU (PyTorch's conv2d, i.e. cross-correlation) in its three directions, parallel over
 * the batch: each thread of the {@link Parallel} split takes a contiguous range of images and runs the path
 * {@link ConvPath#choose} picks for the direction and shape (an implicit GEMM, or im2col + gemm, image by image
 * or grouped: {@link Im2colGemmConv}).
 *
 * <p>Shapes, from the {@link ConvGeometry}: x N×C×H×W, weight K×C×R×S (a K×(C·R·S) matrix), bias K or null,
 * y N×K×P×Q. All arrays are whole (offset 0). See https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html.
 *
 * <p>Safe for concurrent calls from several threads on one instance: workspaces belong to the thread that runs a
 * range (a thread runs one range at a time), and the weight-gradient partials to the thread that made the call
 * (it combines them after every range has finished). Results are deterministic for a given thread count, and
 * forward and backwardData do not depend on it nor on the batch: each image's output is the same bits whatever
 * images come with it (the path does not depend on the batch size; see {@link ConvPath}).
 */
public final class Convolution {
    private final CpuKernels kernels;
    private final Parallel par;
    private final Im2colGemmConv gemmConv;
    /** Per calling thread: the packed weights of its last forward and backwardData call, whose memory the next reuses. */
    private static final ThreadLocal<GemmKernels.PreparedA[]> PACKED = ThreadLocal.withInitial(() -> new GemmKernels.PreparedA[2]);
    /** Per calling thread: for each range ≥ 1 a private dWeight, then dBias. */
    private static final ThreadLocal<float[][][]> PARTIALS = ThreadLocal.withInitial(() -> new float[][][] {new float[0][]});

    public Convolution(CpuKernels kernels, Parallel par) {
        this.kernels = kernels;
        this.par = par;
        this.gemmConv = new Im2colGemmConv(kernels);
    }

    /** The path this instance takes for {@code direction} of {@code g} (for benchmarks and tests). */
    public ConvPath path(ConvPath.Direction direction, ConvGeometry g) {
        return ConvPath.choose(direction, g, par.threads());
    }

    /** y = weight ⋆ x + bias (broadcast over P·Q). OVERWRITES y. */
    public void forward(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] y) {
        check(g, "x", x, g.xSize());
        check(g, "weight", weight, g.weightSize());
        check(g, "y", y, g.ySize());
        if (bias != null) check(g, "bias", bias, g.k());
        ConvPath path = path(ConvPath.Direction.FORWARD, g);
        if (path == ConvPath.IMPLICIT) {
            forEachImageRange(g, (part, n0, n1, gemmPar) ->
                    kernels.implicitConv().forward(g.images(n1 - n0), x, n0 * g.xImage(), weight, bias, y, n0 * g.yImage()));
            return;
        }
        GemmKernels.PreparedA[] packed = PACKED.get(); // the call is synchronous: the last one is no longer in use
        var w = packed[0] = kernels.gemm().prepareA(false, g.k(), g.crs(), weight, 0, g.crs(), packed[0]); // once, not per image
        forEachImageRange(g, (part, n0, n1, gemmPar) -> gemmConv.forward(path, g, x, w, bias, n0, n1, gemmPar, y));
    }

    /** dx = the adjoint of forward in x, from dy. OVERWRITES dx. */
    public void backwardData(ConvGeometry g, float[] dy, float[] weight, float[] dx) {
        check(g, "dy", dy, g.ySize());
        check(g, "weight", weight, g.weightSize());
        check(g, "dx", dx, g.xSize());
        ConvPath path = path(ConvPath.Direction.BACKWARD_DATA, g);
        if (path == ConvPath.IMPLICIT) {
            forEachImageRange(g, (part, n0, n1, gemmPar) ->
                    kernels.implicitConv().backwardData(g.images(n1 - n0), dy, n0 * g.yImage(), weight, dx, n0 * g.xImage()));
            return;
        }
        GemmKernels.PreparedA[] packed = PACKED.get();
        var wt = packed[1] = kernels.gemm().prepareA(true, g.crs(), g.k(), weight, 0, g.crs(), packed[1]); // weightᵀ, once
        forEachImageRange(g, (part, n0, n1, gemmPar) -> gemmConv.backwardData(path, g, dy, wt, n0, n1, gemmPar, dx));
    }

    /**
     * dW = Σ_n dy[n] · col(x[n])ᵀ and db[k] = Σ_n Σ_pq dy[n,k,pq]. Each range of images sums into a private
     * partial (range 0 into dWeight/dBias directly); the partials are then added in range order. OVERWRITES
     * dWeight and dBias (nullable).
     */
    public void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dWeight, float[] dBias) {
        check(g, "x", x, g.xSize());
        check(g, "dy", dy, g.ySize());
        check(g, "dWeight", dWeight, g.weightSize());
        if (dBias != null) check(g, "dBias", dBias, g.k());
        int wSize = g.weightSize(), parts = parts(g.n());
        float[][] partials = partials(parts, wSize + g.k());
        ConvPath path = path(ConvPath.Direction.BACKWARD_WEIGHT, g);
        forEachImageRange(g, (part, n0, n1, gemmPar) -> {
            float[] dw = part == 0 ? dWeight : partials[part];
            float[] db = part == 0 ? dBias : dBias == null ? null : partials[part];
            int dbOff = part == 0 ? 0 : wSize;
            if (path == ConvPath.IMPLICIT) {
                kernels.implicitConv().backwardWeight(g.images(n1 - n0), x, n0 * g.xImage(), dy, n0 * g.yImage(), dw, 0, db, dbOff);
            } else {
                gemmConv.backwardWeight(path, g, x, dy, n0, n1, gemmPar, dw, db, dbOff);
            }
        });
        for (int part = 1; part < parts; part++) {
            kernels.elementwise().add(dWeight, 0, partials[part], 0, dWeight, 0, wSize);
            if (dBias != null) kernels.elementwise().add(dBias, 0, partials[part], wSize, dBias, 0, g.k());
        }
    }

    private interface ImageRange {
        void run(int part, int n0, int n1, Parallel gemmPar);
    }

    private int parts(int n) {
        return Math.max(1, Math.min(par.threads(), n));
    }

    // Splits the batch over the threads. With a single range (batch of 1) the gemm itself runs on
    // all threads instead; Gemm's own split is bit-identical to its serial call.
    private void forEachImageRange(ConvGeometry g, ImageRange body) {
        int parts = parts(g.n());
        Parallel gemmPar = parts == 1 ? par : Parallel.of(1);
        par.run(parts, part -> body.run(part, Parallel.chunkStart(g.n(), parts, part),
                Parallel.chunkStart(g.n(), parts, part + 1), gemmPar));
    }

    // the calling thread's partial sums for ranges 1..parts-1
    private static float[][] partials(int parts, int size) {
        float[][][] holder = PARTIALS.get();
        if (holder[0].length < parts) holder[0] = java.util.Arrays.copyOf(holder[0], parts);
        float[][] partials = holder[0];
        for (int p = 1; p < parts; p++) {
            if (partials[p] == null || partials[p].length < size) partials[p] = new float[size];
        }
        return partials;
    }

    private static void check(ConvGeometry g, String name, float[] a, int expected) {
        if (a.length != expected) {
            String shape = switch (name) {
                case "x", "dx" -> d2l4j.tensor.Shape.str(g.xShape());
                case "y", "dy" -> d2l4j.tensor.Shape.str(g.yShape());
                case "weight", "dWeight" -> d2l4j.tensor.Shape.str(g.weightShape());
                default -> "[" + g.k() + "]";
            };
            throw new IllegalArgumentException("conv2d: expected " + name + " of " + expected + " floats for " + shape
                    + ", got " + a.length);
        }
    }
}
