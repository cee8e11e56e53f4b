package d2l4j.kernels;

import d2l4j.tensor.ConvGeometry;
import java.util.Arrays;

/**
 * Convolution as im2col + gemm (paths {@link ConvPath#IM2COL_GEMM} and {@link ConvPath#GROUPED_GEMM}), for one
 * thread's range of images [n0, n1): the textbook algorithm (d2l §7.2), y[n] = W · col(x[n]) + bias, with W the
 * K×(C·R·S) weight matrix and col(x[n]) the (C·R·S)×(P·Q) im2col matrix. A pointwise convolution (1×1, stride 1,
 * no padding) skips im2col: the C×(H·W) image already is its col matrix.
 *
 * <p>Grouping: small output maps (AlexNet's and NiN's 12×12, GoogLeNet's 6×6 and 3×3) make thin products of P·Q
 * columns (at 3×3, 9 of the gemm's 32-column panel do work). g images are then taken as one product with g·P·Q
 * columns: their col matrices side by side (colG, CRS×g·P·Q), their dy side by side (K×g·P·Q). Forward and
 * backwardData give the same bits as image by image (each output is the same FMA chain); backwardWeight sums
 * over g images in one chain.
 *
 * <p>Workspaces belong to the running thread (a thread runs one range at a time), so concurrent calls are safe.
 */
final class Im2colGemmConv {
    /** The columns a grouped product aims for, and the cap on a group's col matrix (floats, per thread). */
    private static final int GROUP_COLUMNS = 1024, GROUP_MAX_COL = 1 << 22;
    /** Per running thread: one image's im2col matrix, the group's colG and its K-row matrix (yG or dyG). */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[3][0]);
    private static final int COL = 0, GROUP_COL = 1, GROUP_ROWS = 2;

    private final CpuKernels kernels;

    Im2colGemmConv(CpuKernels kernels) {
        this.kernels = kernels;
    }

    /** y[img] (K×PQ) = weight (K×CRS, prepared) · col(x[img]) + bias, for img in [n0, n1). OVERWRITES y there. */
    void forward(ConvPath path, ConvGeometry g, float[] x, GemmKernels.PreparedA weight, float[] bias, int n0, int n1,
                 Parallel gemmPar, float[] y) {
        int group = groupSize(path, g, n1 - n0), pq = g.pq(), k = g.k();
        for (int img = n0; img < n1; img += group) {
            int count = Math.min(group, n1 - img);
            if (count > 1) { // yG (K×count·PQ) = weight · colG, then each image's K×PQ block into y
                int cols = count * pq;
                float[] colG = groupCols(g, x, img, count), yG = buffer(GROUP_ROWS, k * cols);
                kernels.gemm().gemm(gemmPar, weight, false, cols, colG, 0, cols, 0f, yG, 0, cols);
                for (int j = 0; j < count; j++) {
                    for (int ki = 0; ki < k; ki++) System.arraycopy(yG, ki * cols + j * pq, y, (img + j) * g.yImage() + ki * pq, pq);
                }
            } else {
                float[] col = colOf(g, x, img);
                int colOff = g.pointwise() ? img * g.xImage() : 0;
                kernels.gemm().gemm(gemmPar, weight, false, pq, col, colOff, pq, 0f, y, img * g.yImage(), pq);
            }
            if (bias != null) {
                for (int j = img; j < img + count; j++) {
                    for (int ki = 0; ki < k; ki++) kernels.elementwise().addScalar(y, j * g.yImage() + ki * pq, pq, bias[ki]);
                }
            }
        }
    }

    /**
     * y = W·col(x) is linear in x, so dx[img] = col2im(Wᵀ · dy[img]) (the adjoint of each step in reverse), with
     * {@code weightT} = Wᵀ prepared. OVERWRITES dx[n0..n1).
     */
    void backwardData(ConvPath path, ConvGeometry g, float[] dy, GemmKernels.PreparedA weightT, int n0, int n1,
                      Parallel gemmPar, float[] dx) {
        int group = groupSize(path, g, n1 - n0), pq = g.pq(), crs = g.crs();
        for (int img = n0; img < n1; img += group) {
            int count = Math.min(group, n1 - img);
            // dcol (CRS×count·PQ) = weightᵀ (CRS×K) · dy (K×count·PQ); in the pointwise case dcol is dx
            int cols = count * pq;
            float[] rows = count > 1 ? groupRows(g, dy, img, count) : dy;
            int rowsOff = count > 1 ? 0 : img * g.yImage();
            if (g.pointwise() && count == 1) {
                kernels.gemm().gemm(gemmPar, weightT, false, pq, dy, rowsOff, pq, 0f, dx, img * g.xImage(), pq);
                continue;
            }
            float[] dcol = buffer(count > 1 ? GROUP_COL : COL, crs * cols);
            kernels.gemm().gemm(gemmPar, weightT, false, cols, rows, rowsOff, cols, 0f, dcol, 0, cols);
            for (int j = 0; j < count; j++) {
                int xOff = (img + j) * g.xImage();
                if (g.pointwise()) {
                    for (int ci = 0; ci < g.c(); ci++) System.arraycopy(dcol, ci * cols + j * pq, dx, xOff + ci * pq, pq);
                    continue;
                }
                float[] one = dcol;
                if (count > 1) { // image j's CRS×PQ block, into the per-image buffer
                    one = buffer(COL, crs * pq);
                    for (int row = 0; row < crs; row++) System.arraycopy(dcol, row * cols + j * pq, one, row * pq, pq);
                }
                Arrays.fill(dx, xOff, xOff + g.xImage(), 0f);
                kernels.im2col().col2im(g, one, 0, dx, xOff);
            }
        }
    }

    /**
     * dW (+)= Σ_img dy[img] (K×PQ) · col(x[img])ᵀ (PQ×CRS) and dBias[k] (+)= Σ_img Σ_pq dy[img, k, pq] over
     * img in [n0, n1): beta 0 on the range's first product, so dW and dBias (nullable, at dBiasOff) are OVERWRITTEN.
     */
    void backwardWeight(ConvPath path, ConvGeometry g, float[] x, float[] dy, int n0, int n1, Parallel gemmPar,
                        float[] dW, float[] dBias, int dBiasOff) {
        int group = groupSize(path, g, n1 - n0), pq = g.pq(), k = g.k(), crs = g.crs();
        for (int img = n0; img < n1; img += group) {
            int count = Math.min(group, n1 - img), cols = count * pq;
            float[] col, rows;
            int colOff, rowsOff;
            if (count > 1) {
                col = groupCols(g, x, img, count);
                rows = groupRows(g, dy, img, count);
                colOff = 0;
                rowsOff = 0;
            } else {
                col = colOf(g, x, img);
                colOff = g.pointwise() ? img * g.xImage() : 0;
                rows = dy;
                rowsOff = img * g.yImage();
            }
            float beta = img == n0 ? 0f : 1f;
            kernels.gemm().gemm(gemmPar, false, true, k, crs, cols, rows, rowsOff, cols, col, colOff, cols, beta, dW, 0, crs);
            if (dBias != null) {
                for (int ki = 0; ki < k; ki++) {
                    float sum = kernels.elementwise().sum(rows, rowsOff + ki * cols, cols);
                    dBias[dBiasOff + ki] = img == n0 ? sum : dBias[dBiasOff + ki] + sum;
                }
            }
        }
    }

    // how many images one product takes: 1 on IM2COL_GEMM, else enough for GROUP_COLUMNS columns, capped
    private static int groupSize(ConvPath path, ConvGeometry g, int images) {
        if (path != ConvPath.GROUPED_GEMM) return 1;
        int count = Math.min(images, (GROUP_COLUMNS + g.pq() - 1) / g.pq());
        return Math.max(1, Math.min(count, GROUP_MAX_COL / (g.crs() * g.pq())));
    }

    // the col matrix of image img: x itself when pointwise (at img's offset), else im2col into the thread's buffer
    private float[] colOf(ConvGeometry g, float[] x, int img) {
        if (g.pointwise()) return x;
        float[] col = buffer(COL, g.crs() * g.pq());
        kernels.im2col().im2col(g, x, img * g.xImage(), col, 0);
        return col;
    }

    // colG[crs, j·PQ + pq] = col(x[img + j])[crs, pq] for j < count
    private float[] groupCols(ConvGeometry g, float[] x, int img, int count) {
        int pq = g.pq(), cols = count * pq;
        float[] colG = buffer(GROUP_COL, g.crs() * cols);
        for (int j = 0; j < count; j++) {
            float[] col = colOf(g, x, img + j);
            int colOff = g.pointwise() ? (img + j) * g.xImage() : 0;
            for (int row = 0; row < g.crs(); row++) System.arraycopy(col, colOff + row * pq, colG, row * cols + j * pq, pq);
        }
        return colG;
    }

    // dyG[k, j·PQ + pq] = dy[img + j, k, pq] for j < count
    private static float[] groupRows(ConvGeometry g, float[] dy, int img, int count) {
        int pq = g.pq(), cols = count * pq;
        float[] dyG = buffer(GROUP_ROWS, g.k() * cols);
        for (int j = 0; j < count; j++) {
            for (int ki = 0; ki < g.k(); ki++) System.arraycopy(dy, (img + j) * g.yImage() + ki * pq, dyG, ki * cols + j * pq, pq);
        }
        return dyG;
    }

    // the running thread's buffer number `which`, grown on demand
    private static float[] buffer(int which, int size) {
        float[][] b = BUFFERS.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }
}
