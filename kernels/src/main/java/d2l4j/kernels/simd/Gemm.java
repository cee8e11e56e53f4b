package d2l4j.kernels.simd;

import d2l4j.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiply {@code C = op(A)·op(B) + beta·C}, same contract as
 * {@link d2l4j.kernels.reference.Gemm}, organised as in BLIS (Van Zee &amp; van de Geijn, 2015):
 *
 * <pre>
 * for jc in n step NC                      C columns; B block (KC×NC) packed once per (jc, pc)
 *   for pc in k step KC                    the k block; C ← acc + beta·C on the first, C + acc after
 *     pack op(B)[pc:pc+KC, jc:jc+NC] into NR-column panels, zero padded
 *     for ic in m step MC
 *       pack op(A)[ic:ic+MC, pc:pc+KC] into MR-row panels, zero padded
 *       for jr in NC step NR, ir in MC step MR
 *         micro-kernel: an MR×NR tile of C held in MR×2 vector registers, kc rank-1 updates (FMA);
 *         MR = 12 with 32 vector registers, 6 with 16 (see {@link #MR})
 * </pre>
 *
 * Transposes are absorbed by the packing routines; the micro-kernel reads packed, padded panels
 * only (no masks). Every C element is computed the same way wherever its tile lies: an FMA chain
 * over each k block in order, then {@code acc + beta·c} (a multiply then an add, no fusion) per
 * block. So any split of C across threads gives bit-identical results.
 */
public final class Gemm implements d2l4j.kernels.GemmKernels {

    private static final VectorSpecies<Float> F = Machine.F;
    private static final int V = F.length();
    /**
     * Rows of the register tile, from the register file ({@link Machine}): with 32 vector registers (AVX-512,
     * aarch64) 12 × 2 accumulators + 2 B vectors + 1 broadcast = 27 (BLIS's Zen 4 / Skylake-X sgemm kernel uses the
     * same 12 × 32 shape, transposed; measured on one Zen 4 core, 512³-2048³: 3-5% faster than 8 rows, which was ~5%
     * faster than 6); with AVX2's 16, 6 × 2 + 2 + 1 = 15 (BLIS's Haswell/Zen choice, 6 × 16), where 12 rows spill.
     * The tile decides only which elements are computed together: each one's FMA chain is the same.
     */
    static final int MR = Machine.REGISTERS >= 32 ? 12 : 6;
    /** 8 + 4 lanes, for gathering a column of an A panel (MR = 12 rows) in two parts. */
    private static final VectorSpecies<Float> FA = FloatVector.SPECIES_256, FA4 = FloatVector.SPECIES_128;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * V;
    /**
     * k block. Measured on one AMD EPYC Zen 4 core (AVX-512, 32 KiB L1, 1 MiB L2) at 512³-2048³ with MR = 12:
     * KC 512 with MC 96 ran at 98-106 GFLOPS, KC 384 with MC 144 at 92-96 (more passes over C), KC 256 lower
     * still at 1024³ and up; MC 72-120 alike.
     */
    static final int KC = 512;
    /** m block: the MC×KC packed A (192 KiB) stays in L2. */
    static final int MC = 8 * MR;
    /** n block: the KC×NC packed B (4 MiB) stays in L3. */
    static final int NC = 64 * NR;

    /** Per-thread pack buffers, grown on demand and reused across calls. */
    private static final class Workspace {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        /** Gather offsets {0, ld, 2·ld, ...} for the transposed packings, and the ld they were made for. */
        final int[] rowsA = new int[MR], rowsB = new int[V];
        int ldA = -1, ldB = -1;
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        block(null, transA, transB, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, m, 0, n);
    }

    /**
     * The same product on {@code par}'s threads: C is cut statically into NR-aligned column blocks
     * (or MR-aligned row blocks when m > n), one per thread. Bit-identical to the serial call.
     */
    @Override
    public void gemm(Parallel par, boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        gemm(par, null, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * op(A) packed once, for several products with the same A (a convolution's weights, image after image):
     * the panels {@link #block} would pack, all kept, so that products through {@link #gemm(Parallel, PreparedA,
     * boolean, int, float[], int, int, float, float[], int, int)} give the same bits as {@link #gemm}.
     */
    static final class PackedA implements d2l4j.kernels.GemmKernels.PreparedA {
        final boolean transA;
        final int m, k, mPad;
        final float[] data; // for each k block pc: the MR-row panels of all m rows, at pc·mPad + row·kc

        // data: at least mPad·k floats (a reused array may be longer; only the first mPad·k are used)
        private PackedA(boolean transA, int m, int k, float[] data) {
            this.transA = transA;
            this.m = m;
            this.k = k;
            this.mPad = roundUp(m, MR);
            this.data = data != null && data.length >= mPad * k ? data : new float[mPad * k];
        }
    }

    /** Packs op(A) (m×k) for {@link #gemm(Parallel, PreparedA, boolean, int, float[], int, int, float, float[], int, int)}. */
    @Override
    public PackedA prepareA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        return prepareA(transA, m, k, a, aOff, lda, null);
    }

    /** The same into {@code reuse}'s array when it is large enough (every element the products read is rewritten). */
    @Override
    public PackedA prepareA(boolean transA, int m, int k, float[] a, int aOff, int lda, PreparedA reuse) {
        PackedA pre = new PackedA(transA, m, k, reuse instanceof PackedA old ? old.data : null);
        Workspace ws = WORKSPACE.get();
        for (int pc = 0; pc < k; pc += KC) packA(ws, transA, a, aOff, lda, 0, m, pc, Math.min(KC, k - pc), pre.data, pc * pre.mPad);
        return pre;
    }

    /** C (m×n) = op(A)·op(B) + beta·C with op(A) from {@link #prepareA}; bit-identical to the unpacked call. */
    @Override
    public void gemm(Parallel par, PreparedA prepared, boolean transB, int n, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        PackedA a = (PackedA) prepared;
        gemm(par, a, a.transA, transB, a.m, n, a.k, null, 0, 0, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void gemm(Parallel par, PackedA pre, boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        boolean small = (long) m * n * k < 64L * 64 * 64;
        if (par.threads() == 1 || small) {
            block(pre, transA, transB, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        boolean byColumns = n >= m;
        int unit = byColumns ? NR : MR;
        int extent = byColumns ? n : m;
        int units = (extent + unit - 1) / unit;
        int parts = Math.min(par.threads(), units);
        par.run(parts, part -> {
            int from = Parallel.chunkStart(units, parts, part) * unit;
            int to = Math.min(extent, Parallel.chunkStart(units, parts, part + 1) * unit);
            if (byColumns) block(pre, transA, transB, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, m, from, to);
            else block(pre, transA, transB, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, from, to, 0, n);
        });
    }

    // C = beta·C when k = 0 (beta = 0 clears, ignoring NaN)
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ij = cOff + i * ldc + j;
                c[ij] = beta == 0f ? 0f : beta * c[ij];
            }
        }
    }

    /** Computes rows [i0, i1) and columns [j0, j1) of C. */
    private static void block(PackedA pre, boolean transA, boolean transB, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        Workspace ws = WORKSPACE.get();
        int kcMax = Math.min(KC, k);
        int aNeed = pre != null ? 0 : roundUp(Math.min(MC, i1 - i0), MR) * kcMax;
        int bNeed = roundUp(Math.min(NC, j1 - j0), NR) * kcMax;
        if (ws.a.length < aNeed) ws.a = new float[aNeed];
        if (ws.b.length < bNeed) ws.b = new float[bNeed];
        float[] pa = ws.a, pb = ws.b;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float blockBeta = pc == 0 ? beta : 1f;
                packB(ws, transB, b, bOff, ldb, pc, kc, jc, nc, pb);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    float[] panels = pa;
                    int base = 0;
                    if (pre == null) packA(ws, transA, a, aOff, lda, ic, mc, pc, kc, pa, 0);
                    else { // ic is a multiple of MR: its panels lie at pc·mPad + ic·kc
                        panels = pre.data;
                        base = pc * pre.mPad + ic * kc;
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            if (MR == 12) microKernel12(kc, panels, base + ir * kc, pb, jr * kc, ws.tile);
                            else microKernel6(kc, panels, base + ir * kc, pb, jr * kc, ws.tile);
                            updateC(ws.tile, c, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr, blockBeta);
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    // pa[paOff + ir·kc + p·MR + ii] = op(A)[ic + ir + ii, pc + p], rows past mc zero
    private static void packA(Workspace ws, boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc,
                              float[] pa, int paOff) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir), panel = paOff + ir * kc;
            if (transA) { // op(A)[i, p] = A[p, i]: a row of A gives MR contiguous values
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir, dst = panel + p * MR;
                    for (int ii = 0; ii < mr; ii++) pa[dst + ii] = a[src + ii];
                    for (int ii = mr; ii < MR; ii++) pa[dst + ii] = 0f;
                }
            } else if (MR == 12 && mr == MR && !aliases(lda)) { // op(A)[i, p] = A[i, p]: gather a column of 12 rows per p
                int[] rows = rowsOf(ws.rowsA, lda, ws.ldA);
                ws.ldA = lda;
                int src = aOff + (ic + ir) * lda + pc;
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(FA, a, src + p, rows, 0).intoArray(pa, panel + p * MR);
                    FloatVector.fromArray(FA4, a, src + p, rows, 8).intoArray(pa, panel + p * MR + 8);
                }
            } else { // an edge panel or an aliasing lda: read each row contiguously, write with stride MR
                for (int ii = 0; ii < mr; ii++) {
                    int src = aOff + (ic + ir + ii) * lda + pc;
                    for (int p = 0; p < kc; p++) pa[panel + p * MR + ii] = a[src + p];
                }
                for (int ii = mr; ii < MR; ii++) {
                    for (int p = 0; p < kc; p++) pa[panel + p * MR + ii] = 0f;
                }
            }
        }
    }

    // pb[jr·kc + p·NR + jj] = op(B)[pc + p, jc + jr + jj], columns past nc zero
    private static void packB(Workspace ws, boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc,
                              float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), panel = jr * kc;
            if (!transB) { // op(B)[p, j] = B[p, j]: NR contiguous values per p
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr, dst = panel + p * NR;
                    if (nr == NR) {
                        FloatVector.fromArray(F, b, src).intoArray(pb, dst);
                        FloatVector.fromArray(F, b, src + V).intoArray(pb, dst + V);
                    } else {
                        for (int jj = 0; jj < nr; jj++) pb[dst + jj] = b[src + jj];
                        for (int jj = nr; jj < NR; jj++) pb[dst + jj] = 0f;
                    }
                }
            } else if (nr == NR && !aliases(ldb)) { // op(B)[p, j] = B[j, p]: per p, gather a column of V rows of B, twice
                int[] rows = rowsOf(ws.rowsB, ldb, ws.ldB);
                ws.ldB = ldb;
                int src = bOff + (jc + jr) * ldb + pc, src2 = src + V * ldb;
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(F, b, src + p, rows, 0).intoArray(pb, panel + p * NR);
                    FloatVector.fromArray(F, b, src2 + p, rows, 0).intoArray(pb, panel + p * NR + V);
                }
            } else { // an edge panel or an aliasing ldb: read each row of B contiguously, write with stride NR
                for (int jj = 0; jj < nr; jj++) {
                    int src = bOff + (jc + jr + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) pb[panel + p * NR + jj] = b[src + p];
                }
                for (int jj = nr; jj < NR; jj++) {
                    for (int p = 0; p < kc; p++) pb[panel + p * NR + jj] = 0f;
                }
            }
        }
    }

    /**
     * Whether rows ld floats apart fall into the same few L1 sets (ld a multiple of 512 floats = 2 KiB): a gather
     * of 8 or 16 such rows then misses in L1 on every element. Measured packing a transposed 32-column panel on
     * Zen 4: 1.64 ns per element by gather at ld = 4096 against 0.40 at ld = 6400, 0.57 by the row-wise copy.
     */
    private static boolean aliases(int ld) {
        return ld % 512 == 0;
    }

    // {0, ld, 2·ld, ...}: the gather offsets of a column of consecutive rows (recomputed when ld changes)
    private static int[] rowsOf(int[] rows, int ld, int madeFor) {
        if (ld != madeFor) {
            for (int i = 0; i < rows.length; i++) rows[i] = i * ld;
        }
        return rows;
    }

    /**
     * tile[0:6, 0:NR] ← Σ_p pa[p, 0:6]ᵀ · pb[p, 0:NR], the sum held in 6 × 2 = 12 vector registers (with the two B
     * vectors and one broadcast, 15: AVX2's 16 hold it) over kc FMA steps; each element's FMA chain is
     * {@link #microKernel12}'s.
     */
    private static void microKernel6(int kc, float[] pa, int aIdx, float[] pb, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 6, bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + V);
            FloatVector av = FloatVector.broadcast(F, pa[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, pa[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, pa[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, V);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + V);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + V);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + V);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + V);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + V);
    }

    /**
     * tile[0:12, 0:NR] ← Σ_p pa[p, 0:12]ᵀ · pb[p, 0:NR], the sum held in 12 × 2 = 24 vector registers
     * (with the two B vectors and one broadcast, 27 of 32) over kc FMA steps.
     */
    private static void microKernel12(int kc, float[] pa, int aIdx, float[] pb, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        FloatVector c80 = FloatVector.zero(F), c81 = FloatVector.zero(F);
        FloatVector c90 = FloatVector.zero(F), c91 = FloatVector.zero(F);
        FloatVector c100 = FloatVector.zero(F), c101 = FloatVector.zero(F);
        FloatVector c110 = FloatVector.zero(F), c111 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 12, bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + V);
            FloatVector av = FloatVector.broadcast(F, pa[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, pa[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, pa[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, pa[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, pa[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            av = FloatVector.broadcast(F, pa[ai + 8]);
            c80 = av.fma(b0, c80);
            c81 = av.fma(b1, c81);
            av = FloatVector.broadcast(F, pa[ai + 9]);
            c90 = av.fma(b0, c90);
            c91 = av.fma(b1, c91);
            av = FloatVector.broadcast(F, pa[ai + 10]);
            c100 = av.fma(b0, c100);
            c101 = av.fma(b1, c101);
            av = FloatVector.broadcast(F, pa[ai + 11]);
            c110 = av.fma(b0, c110);
            c111 = av.fma(b1, c111);
        }
        // Spill the tile (cheap next to kc FMA steps) and update C from it: the kernel stays
        // branch-free, and full and edge tiles round identically.
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + V);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + V);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + V);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + V);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + V);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + V);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + V);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + V);
        c80.intoArray(tile, 8 * NR);
        c81.intoArray(tile, 8 * NR + V);
        c90.intoArray(tile, 9 * NR);
        c91.intoArray(tile, 9 * NR + V);
        c100.intoArray(tile, 10 * NR);
        c101.intoArray(tile, 10 * NR + V);
        c110.intoArray(tile, 11 * NR);
        c111.intoArray(tile, 11 * NR + V);
    }

    // C[0:mr, 0:nr] ← tile + beta·C (beta = 0: overwrite without reading C); a multiply then an add
    private static void updateC(float[] tile, float[] c, int cIdx, int ldc, int mr, int nr, float beta) {
        for (int i = 0; i < mr; i++) {
            int ci = cIdx + i * ldc, ti = i * NR, j = 0;
            if (nr == NR) {
                for (; j < NR; j += V) {
                    FloatVector acc = FloatVector.fromArray(F, tile, ti + j);
                    if (beta != 0f) acc = acc.add(FloatVector.fromArray(F, c, ci + j).mul(beta));
                    acc.intoArray(c, ci + j);
                }
            }
            for (; j < nr; j++) c[ci + j] = beta == 0f ? tile[ti + j] : tile[ti + j] + beta * c[ci + j];
        }
    }
}
