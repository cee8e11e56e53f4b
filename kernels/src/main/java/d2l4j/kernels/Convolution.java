package d2l4j.kernels;

/**
 * 2-D convolution (PyTorch's conv2d, i.e. cross-correlation) as im2col + gemm, parallel over the
 * batch: each part of the {@link Parallel} split takes a contiguous range of images and its own
 * im2col workspace, grown on demand and kept across calls. A 1×1, stride-1, unpadded convolution
 * skips im2col: the C×(H·W) image already is the col matrix.
 *
 * <p>Shapes: x N×C×H×W, weight K×C×R×S (a K×(C·R·S) matrix), bias K or null, y N×K×P×Q with
 * P = (H + 2·padH − R)/strideH + 1, Q = (W + 2·padW − S)/strideW + 1. All arrays are whole
 * (offset 0). See https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html and d2l §7.2.
 *
 * <p>Most stride-1 convolutions skip im2col and the packed gemm altogether: each part hands its range of
 * images to the {@code conv2d*} kernels, which multiply over zero-padded rows in place
 * ({@link d2l4j.kernels.simd.DirectConv}); {@link #implicitForward} and its two siblings say when, per direction.
 *
 * <p>Safe for concurrent calls from several threads on one instance: the im2col workspace belongs to
 * the thread that runs a part (a thread runs one part at a time), and the weight-gradient partials to the
 * thread that made the call (it combines them after every part has finished). Results are deterministic
 * for a given thread count, and forward and backwardData do not depend on it while the batch has at least
 * one image per thread (a smaller batch takes the parallel gemm, which sums in another order).
 */
public final class Convolution {
    private final CpuKernels kernels;
    private final Parallel par;
    /** Per running thread: an im2col workspace (C·R·S)×(P·Q), grown on demand. */
    private static final ThreadLocal<float[][]> COL = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Per calling thread: for each part ≥ 1 a private dWeight, then dBias. */
    private static final ThreadLocal<float[][][]> PARTIALS = ThreadLocal.withInitial(() -> new float[][][] {new float[0][]});

    public Convolution(CpuKernels kernels, Parallel par) {
        this.kernels = kernels;
        this.par = par;
    }

    /** y[n] = W · im2col(x[n]) + bias (broadcast over P·Q). OVERWRITES y. */
    public void forward(float[] x, float[] weight, float[] bias, int n, int c, int h, int w, int k, int r, int s,
                        int strideH, int strideW, int padH, int padW, float[] y) {
        Dims d = new Dims(n, c, h, w, k, r, s, strideH, strideW, padH, padW);
        d.check("x", x, d.xSize()).check("weight", weight, d.wSize()).check("y", y, d.ySize());
        if (bias != null) d.check("bias", bias, k);
        if (implicitForward(d)) {
            forEachImageRange(d, (part, n0, n1, gemmPar) -> kernels.conv2dForward(x, n0 * d.xSize1(), n1 - n0, c, h, w,
                    weight, bias, k, r, s, padH, padW, y, n0 * d.ySize1()));
            return;
        }
        CpuKernels.PreparedA wk = kernels.prepareA(false, k, d.crs(), weight, 0, d.crs()); // packed once, not per image
        forEachImageRange(d, (part, n0, n1, gemmPar) -> {
            int group = groupSize(d, n1 - n0), pq = d.pq();
            for (int img = n0; img < n1; img += group) {
                int g = Math.min(group, n1 - img);
                if (g > 1) { // yG (K×g·PQ) = weight · colG (CRS×g·PQ), then each image's K×PQ block into y
                    int cols = g * pq;
                    float[] colG = groupCols(d, x, img, g), yG = groupBuffer(1, k * cols);
                    kernels.gemm(gemmPar, wk, false, cols, colG, 0, cols, 0f, yG, 0, cols);
                    for (int j = 0; j < g; j++) {
                        for (int ki = 0; ki < k; ki++) System.arraycopy(yG, ki * cols + j * pq, y, (img + j) * d.ySize1() + ki * pq, pq);
                    }
                } else {
                    float[] col = colFor(d, part, x, img);
                    int colOff = d.direct() ? img * d.xSize1() : 0;
                    // y[img] (K×PQ) = weight (K×CRS) · col (CRS×PQ)
                    kernels.gemm(gemmPar, wk, false, pq, col, colOff, pq, 0f, y, img * d.ySize1(), pq);
                }
                if (bias != null) {
                    for (int j = img; j < img + g; j++) {
                        for (int ki = 0; ki < k; ki++) kernels.addScalar(y, j * d.ySize1() + ki * pq, pq, bias[ki]);
                    }
                }
            }
        });
    }

    // y = W·col(x) is linear in x: dx = col2im(Wᵀ · dy[n]) (the adjoint of each step in reverse). OVERWRITES dx.
    public void backwardData(float[] dy, float[] weight, int n, int c, int h, int w, int k, int r, int s,
                             int strideH, int strideW, int padH, int padW, float[] dx) {
        Dims d = new Dims(n, c, h, w, k, r, s, strideH, strideW, padH, padW);
        d.check("dy", dy, d.ySize()).check("weight", weight, d.wSize()).check("dx", dx, d.xSize());
        if (implicitBackwardData(d)) {
            forEachImageRange(d, (part, n0, n1, gemmPar) -> kernels.conv2dBackwardData(dy, n0 * d.ySize1(), n1 - n0,
                    c, h, w, weight, k, r, s, padH, padW, dx, n0 * d.xSize1()));
            return;
        }
        CpuKernels.PreparedA wt = kernels.prepareA(true, d.crs(), k, weight, 0, d.crs()); // weightᵀ, packed once
        forEachImageRange(d, (part, n0, n1, gemmPar) -> {
            int group = groupSize(d, n1 - n0);
            for (int img = n0; img < n1; img += group) {
                int g = Math.min(group, n1 - img);
                if (g > 1) {
                    backwardDataGroup(d, dy, wt, img, g, gemmPar, dx);
                    continue;
                }
                int xOff = img * d.xSize1();
                // dcol (CRS×PQ) = weightᵀ (CRS×K) · dy[img] (K×PQ); in the 1×1 case dcol is dx[img]
                float[] dcol = d.direct() ? dx : workspace(part, d.crs() * d.pq());
                int dcolOff = d.direct() ? xOff : 0;
                kernels.gemm(gemmPar, wt, false, d.pq(), dy, img * d.ySize1(), d.pq(), 0f, dcol, dcolOff, d.pq());
                if (!d.direct()) {
                    java.util.Arrays.fill(dx, xOff, xOff + d.xSize1(), 0f);
                    kernels.col2im(dcol, 0, c, h, w, r, s, strideH, strideW, padH, padW, dx, xOff);
                }
            }
        });
    }

    /**
     * y[n] = W·col(x[n]) + b, so dW = Σ_n dy[n] · col(x[n])ᵀ and db[k] = Σ_n Σ_pq dy[n,k,pq].
     * Each part sums its images into a private partial (part 0 into dWeight/dBias directly); the
     * partials are then added in part order. OVERWRITES dWeight and dBias (nullable).
     */
    public void backwardWeight(float[] x, float[] dy, int n, int c, int h, int w, int k, int r, int s,
                               int strideH, int strideW, int padH, int padW, float[] dWeight, float[] dBias) {
        Dims d = new Dims(n, c, h, w, k, r, s, strideH, strideW, padH, padW);
        d.check("x", x, d.xSize()).check("dy", dy, d.ySize()).check("dWeight", dWeight, d.wSize());
        if (dBias != null) d.check("dBias", dBias, k);
        int wSize = d.wSize();
        int parts = parts(n);
        float[][] partials = partials(parts, wSize + k);
        if (implicitBackwardWeight(d)) {
            forEachImageRange(d, (part, n0, n1, gemmPar) -> kernels.conv2dBackwardWeight(x, n0 * d.xSize1(),
                    dy, n0 * d.ySize1(), n1 - n0, c, h, w, k, r, s, padH, padW,
                    part == 0 ? dWeight : partials[part], 0, part == 0 ? dBias : dBias == null ? null : partials[part],
                    part == 0 ? 0 : wSize));
        } else {
            forEachImageRange(d, (part, n0, n1, gemmPar) -> {
                float[] dw = part == 0 ? dWeight : partials[part];
                float[] db = part == 0 ? dBias : partials[part];
                int dbOff = part == 0 ? 0 : wSize;
                int group = groupSize(d, n1 - n0);
                for (int img = n0; img < n1; img += group) {
                    int g = Math.min(group, n1 - img);
                    if (g > 1) { // dW (+)= dyG (K×g·PQ) · colGᵀ (g·PQ×CRS): one product over g images
                        int cols = g * d.pq();
                        float[] colG = groupCols(d, x, img, g), dyG = groupRows(d, dy, img, g);
                        kernels.gemm(gemmPar, false, true, k, d.crs(), cols, dyG, 0, cols, colG, 0, cols,
                                img == n0 ? 0f : 1f, dw, 0, d.crs());
                        if (db != null) {
                            for (int ki = 0; ki < k; ki++) {
                                float sum = kernels.sum(dyG, ki * cols, cols);
                                db[dbOff + ki] = img == n0 ? sum : db[dbOff + ki] + sum;
                            }
                        }
                        continue;
                    }
                    float[] col = colFor(d, part, x, img);
                    int colOff = d.direct() ? img * d.xSize1() : 0;
                    int dyOff = img * d.ySize1();
                    // dW (K×CRS) (+)= dy[img] (K×PQ) · colᵀ (PQ×CRS); beta 0 on the part's first image
                    kernels.gemm(gemmPar, false, true, k, d.crs(), d.pq(), dy, dyOff, d.pq(), col, colOff, d.pq(),
                            img == n0 ? 0f : 1f, dw, 0, d.crs());
                    if (db != null) {
                        for (int ki = 0; ki < k; ki++) {
                            float sum = kernels.sum(dy, dyOff + ki * d.pq(), d.pq());
                            db[dbOff + ki] = img == n0 ? sum : db[dbOff + ki] + sum;
                        }
                    }
                }
            });
        }
        for (int part = 1; part < parts; part++) {
            kernels.add(dWeight, 0, partials[part], 0, dWeight, 0, wSize);
            if (dBias != null) kernels.add(dBias, 0, partials[part], wSize, dBias, 0, k);
        }
    }

    /*
     * When the conv2d* kernels (an implicit GEMM over zero-padded rows, no im2col, no packing of the image)
     * beat im2col + the packed gemm. Measured one shape at a time on one thread at batch 16 for every stride-1
     * convolution of the zoo (bench Compare, 2026-11-26, AMD EPYC Zen 4; the table and command are in
     * bench/notes/convolution-paths.md): forward 0.98-3.6x as fast as im2col + gemm for all of them (1.5x at VGG's
     * 112x112 layers); backwardData likewise (0.9-5.8x) except with few input channels (C = 1: 0.59x, the
     * product has C rows) or a deep product K·R·S (> 2304: 0.91-0.97x); backwardWeight keeps one vector of
     * partial sums per dW element, updated once per image, so it wins where an image row is long (P·Wp
     * floats: 6-8x at 224x224 and 112x112, 1.2-1.9x at 56x56 and 28x28) and loses where it is short
     * (0.12-0.5x at 6x6 and 3x3), unless K is tiny (NiN's last 10-channel layer: 2x); its partial sums, K·C·R·S
     * vectors per thread, are capped at 10 MB. 1×1 convolutions on small maps go to the (grouped) gemm,
     * whose col matrix is x itself: forward at P·Q <= 64 (1.05-1.5x), backwardData at P·Q < 512 (1.1-3x).
     * Always: stride 1, padding smaller than the kernel (what backwardData's flipped kernel needs), and at
     * least one image per thread (a batch of one is better served by the parallel gemm).
     */
    private boolean stride1(Dims d) { // the conditions every implicit path needs
        return d.strideH() == 1 && d.strideW() == 1 && d.padH() < d.r() && d.padW() < d.s() && d.n() >= par.threads();
    }

    /**
     * LeNet-sized convolutions, where packing costs more than the arithmetic: product depths C·R·S and K·R·S and
     * the padded images (x and dy) small. These take the implicit path in every direction (the rule that LeNet's
     * speed was tuned with; the rules below were measured on the bigger nets).
     */
    private static boolean small(Dims d) {
        return d.crs() <= 512 && d.k() * d.r() * d.s() <= 512
                && d.c() * (d.h() + 2 * d.padH()) * (d.w() + 2 * d.padW()) <= 1 << 14
                && d.k() * (d.h() + d.r() - 1) * (d.w() + d.s() - 1) <= 1 << 14;
    }

    private boolean implicitForward(Dims d) {
        return stride1(d) && (small(d) || !(d.direct() && d.pq() <= GROUP_MAX_PQ));
    }

    private boolean implicitBackwardData(Dims d) {
        return stride1(d) && (small(d) || !(d.direct() && d.pq() < 512) && d.c() >= 8 && d.k() * d.r() * d.s() <= 2304);
    }

    private boolean implicitBackwardWeight(Dims d) {
        long rowFloats = (long) d.p() * (d.w() + 2 * d.padW());
        return stride1(d) && (small(d) || (long) d.k() * d.crs() <= 160_000 && (rowFloats >= 512 || d.k() < 16));
    }

    /*
     * Small output maps (AlexNet's and NiN's 12×12, GoogLeNet's 6×6 and 3×3) make thin products: P·Q columns
     * per image, and the gemm pads its last NR-column panel (at 3×3, 9 of 32 columns do work). Such images are
     * taken g at a time as one product with g·P·Q columns: their col matrices side by side (colG, CRS×g·P·Q),
     * their dy side by side (K×g·P·Q). Forward and backwardData give the same bits as image by image (each
     * output is the same FMA chain); backwardWeight sums over g images in one chain.
     */
    /**
     * Largest P·Q that is grouped, the columns a grouped product aims for, and the cap on a group's col matrix
     * (floats, per thread). Measured (bench/notes/convolution-paths.md): at 3×3 maps grouping made weight
     * gradients 1.3-1.7x faster, at 6×6 up to 1.1x, at 12×12 nothing.
     */
    private static final int GROUP_MAX_PQ = 64, GROUP_COLUMNS = 1024, GROUP_MAX_COL = 1 << 22;

    private static int groupSize(Dims d, int images) {
        if (d.pq() > GROUP_MAX_PQ) return 1;
        int g = Math.min(images, (GROUP_COLUMNS + d.pq() - 1) / d.pq());
        return Math.max(1, Math.min(g, GROUP_MAX_COL / (d.crs() * d.pq())));
    }

    /** Per running thread: colG and the K-row group matrix (yG or dyG); one image's col is {@link #workspace}. */
    private static final ThreadLocal<float[][]> GROUP = ThreadLocal.withInitial(() -> new float[2][0]);

    private static float[] groupBuffer(int which, int size) {
        float[][] b = GROUP.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }

    // colG[crs, j·PQ + pq] = col(x[img + j])[crs, pq] for j < g
    private float[] groupCols(Dims d, float[] x, int img, int g) {
        int pq = d.pq(), cols = g * pq;
        float[] colG = groupBuffer(0, d.crs() * cols);
        for (int j = 0; j < g; j++) {
            float[] col = d.direct() ? x : workspace(0, d.crs() * pq);
            int colOff = d.direct() ? (img + j) * d.xSize1() : 0;
            if (!d.direct()) {
                kernels.im2col(x, (img + j) * d.xSize1(), d.c(), d.h(), d.w(), d.r(), d.s(), d.strideH(), d.strideW(),
                        d.padH(), d.padW(), col, 0);
            }
            for (int row = 0; row < d.crs(); row++) System.arraycopy(col, colOff + row * pq, colG, row * cols + j * pq, pq);
        }
        return colG;
    }

    // dyG[k, j·PQ + pq] = dy[img + j, k, pq] for j < g
    private static float[] groupRows(Dims d, float[] dy, int img, int g) {
        int pq = d.pq(), cols = g * pq;
        float[] dyG = groupBuffer(1, d.k() * cols);
        for (int j = 0; j < g; j++) {
            for (int ki = 0; ki < d.k(); ki++) System.arraycopy(dy, (img + j) * d.ySize1() + ki * pq, dyG, ki * cols + j * pq, pq);
        }
        return dyG;
    }

    // dcolG (CRS×g·PQ) = weightᵀ · dyG, then each image's CRS×PQ block folded back (col2im) into dx. OVERWRITES dx[img..img+g).
    private void backwardDataGroup(Dims d, float[] dy, CpuKernels.PreparedA wt, int img, int g, Parallel gemmPar, float[] dx) {
        int pq = d.pq(), cols = g * pq;
        float[] dyG = groupRows(d, dy, img, g), dcolG = groupBuffer(0, d.crs() * cols);
        kernels.gemm(gemmPar, wt, false, cols, dyG, 0, cols, 0f, dcolG, 0, cols);
        for (int j = 0; j < g; j++) {
            int xOff = (img + j) * d.xSize1();
            if (d.direct()) { // the 1×1 case: dcol is dx
                for (int ci = 0; ci < d.c(); ci++) System.arraycopy(dcolG, ci * cols + j * pq, dx, xOff + ci * pq, pq);
                continue;
            }
            float[] dcol = workspace(0, d.crs() * pq); // the per-image col buffer, as image by image
            for (int row = 0; row < d.crs(); row++) System.arraycopy(dcolG, row * cols + j * pq, dcol, row * pq, pq);
            java.util.Arrays.fill(dx, xOff, xOff + d.xSize1(), 0f);
            kernels.col2im(dcol, 0, d.c(), d.h(), d.w(), d.r(), d.s(), d.strideH(), d.strideW(), d.padH(), d.padW(), dx, xOff);
        }
    }

    private interface ImageRange {
        void run(int part, int n0, int n1, Parallel gemmPar);
    }

    private int parts(int n) {
        return Math.max(1, Math.min(par.threads(), n));
    }

    // Splits the batch over the threads. With a single part (batch of 1) the gemm itself runs on
    // all threads instead; Gemm's own split is bit-identical to its serial call.
    private void forEachImageRange(Dims d, ImageRange body) {
        int parts = parts(d.n());
        Parallel serial = Parallel.of(1);
        Parallel gemmPar = parts == 1 ? par : serial;
        par.run(parts, part -> body.run(part, Parallel.chunkStart(d.n(), parts, part),
                Parallel.chunkStart(d.n(), parts, part + 1), gemmPar));
    }

    // The col matrix of image img: x itself in the 1×1 case, else im2col into the part's workspace.
    private float[] colFor(Dims d, int part, float[] x, int img) {
        if (d.direct()) return x;
        float[] col = workspace(part, d.crs() * d.pq());
        kernels.im2col(x, img * d.xSize1(), d.c(), d.h(), d.w(), d.r(), d.s(), d.strideH(), d.strideW(),
                d.padH(), d.padW(), col, 0);
        return col;
    }

    // the running thread's im2col workspace (part only names the caller's slice of the work)
    private static float[] workspace(int part, int size) {
        float[][] col = COL.get();
        if (col[0].length < size) col[0] = new float[size];
        return col[0];
    }

    // the calling thread's partial sums for parts 1..parts-1
    private static float[][] partials(int parts, int size) {
        float[][][] holder = PARTIALS.get();
        if (holder[0].length < parts) holder[0] = java.util.Arrays.copyOf(holder[0], parts);
        float[][] partials = holder[0];
        for (int p = 1; p < parts; p++) {
            if (partials[p] == null || partials[p].length < size) partials[p] = new float[size];
        }
        return partials;
    }

    /** The dimensions of one call, with the derived sizes, and the argument checks. */
    private record Dims(int n, int c, int h, int w, int k, int r, int s, int strideH, int strideW, int padH, int padW) {
        Dims {
            if (n < 1 || c < 1 || h < 1 || w < 1 || k < 1 || r < 1 || s < 1 || strideH < 1 || strideW < 1
                    || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("conv2d: expected positive sizes and strides and padding >= 0, got"
                        + " n=" + n + " c=" + c + " h=" + h + " w=" + w + " k=" + k + " r=" + r + " s=" + s
                        + " stride=" + strideH + "x" + strideW + " pad=" + padH + "x" + padW);
            }
            if (h + 2 * padH < r || w + 2 * padW < s) {
                throw new IllegalArgumentException("conv2d: kernel " + r + "x" + s + " larger than the padded input "
                        + (h + 2 * padH) + "x" + (w + 2 * padW));
            }
        }

        int p() { return (h + 2 * padH - r) / strideH + 1; }
        int q() { return (w + 2 * padW - s) / strideW + 1; }
        int pq() { return p() * q(); }
        int crs() { return c * r * s; }
        int xSize1() { return c * h * w; }
        int ySize1() { return k * pq(); }
        int xSize() { return n * xSize1(); }
        int ySize() { return n * ySize1(); }
        int wSize() { return k * crs(); }

        boolean direct() {
            return r == 1 && s == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
        }

        Dims check(String name, float[] a, int expected) {
            if (a.length != expected) {
                throw new IllegalArgumentException("conv2d: expected " + name + " of " + expected + " floats for "
                        + shapeOf(name) + ", got " + a.length);
            }
            return this;
        }

        private String shapeOf(String name) {
            return switch (name) {
                case "x", "dx" -> "[" + n + ", " + c + ", " + h + ", " + w + "]";
                case "y", "dy" -> "[" + n + ", " + k + ", " + p() + ", " + q() + "]";
                case "weight", "dWeight" -> "[" + k + ", " + c + ", " + r + ", " + s + "]";
                default -> "[" + k + "]";
            };
        }
    }
}
