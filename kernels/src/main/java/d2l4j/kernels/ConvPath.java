package d2l4j.kernels;

import d2l4j.tensor.ConvGeometry;

/**
 * The algorithms a CPU convolution can run, and the one rule that picks one per direction and shape.
 *
 * <pre>
 * path          what runs, per thread's range of images                          kernels
 * IMPLICIT      an implicit GEMM over zero-padded rows: no im2col matrix, no     ImplicitConvKernels
 *               packing of the image (stride 1 only)
 * IM2COL_GEMM   image by image: im2col into a workspace (a pointwise 1×1 conv    Im2colKernels + GemmKernels
 *               uses the image itself), then one packed gemm
 * GROUPED_GEMM  as IM2COL_GEMM, g images side by side as one product of g·P·Q    Im2colKernels + GemmKernels
 *               columns (small maps, where one image's product is too thin)
 * </pre>
 *
 * {@link #choose}'s rule, measured one shape at a time on one thread at batch 16 for every stride-1 convolution
 * of the zoo (bench Compare, 2026-11-26, AMD EPYC Zen 4; the tables and the command are in
 * bench/notes/convolution-paths.md). IMPLICIT needs stride 1 and padding smaller than the kernel (what backwardData's
 * flipped kernel needs); the batch size plays no part, so that an image's result does not depend on the batch it is
 * in (a batch of one loses the parallel gemm's threads on the implicit path: the price of that guarantee); given
 * those, it is taken when:
 * <pre>
 * direction        IMPLICIT when                                            measured
 * every one        small: C·R·S ≤ 512, K·R·S ≤ 512, C·Hp·Wp ≤ 16384,        LeNet's convolutions, where packing
 *                  K·(H+R−1)·(W+S−1) ≤ 16384                                costs more than the arithmetic
 * FORWARD          not (pointwise and P·Q ≤ 64)                             0.98-3.6x im2col+gemm (1.5x at VGG's
 *                                                                           112×112); 1×1 on small maps: gemm
 *                                                                           1.05-1.5x
 * BACKWARD_DATA    not (pointwise and P·Q &lt; 512), C ≥ 8, K·R·S ≤ 2304      0.9-5.8x; C = 1: 0.59x (C rows);
 *                                                                           deep K·R·S &gt; 2304: 0.91-0.97x
 * BACKWARD_WEIGHT  K·C·R·S ≤ 160000 (its per-thread partial sums, capped    one row of P·Wp floats per update:
 *                  at 10 MB), and P·Wp ≥ 512 or K &lt; 16                      6-8x at 224², 1.2-1.9x at 56²-28²,
 *                                                                           0.12-0.5x at 6² and 3² (NiN's K=10: 2x)
 * </pre>
 * Otherwise GROUPED_GEMM where P·Q ≤ {@link #GROUP_MAX_PQ} (at 3×3 maps weight gradients 1.3-1.7x faster,
 * at 6×6 up to 1.1x, at 12×12 nothing), else IM2COL_GEMM.
 */
public enum ConvPath {
    IMPLICIT, IM2COL_GEMM, GROUPED_GEMM;

    /** The three directions of a convolution: y from x, dx from dy, dW (and dBias) from x and dy. */
    public enum Direction { FORWARD, BACKWARD_DATA, BACKWARD_WEIGHT }

    /** Largest P·Q whose images are grouped into one product. */
    static final int GROUP_MAX_PQ = 64;

    /** The path for {@code direction} of convolution {@code g} split over {@code threads} threads (the table above). */
    public static ConvPath choose(Direction direction, ConvGeometry g, int threads) {
        boolean implicit = implicitFits(g, threads) && (small(g) || switch (direction) {
            case FORWARD -> !(g.pointwise() && g.pq() <= GROUP_MAX_PQ);
            case BACKWARD_DATA -> !(g.pointwise() && g.pq() < 512) && g.c() >= 8 && g.k() * g.r() * g.s() <= 2304;
            case BACKWARD_WEIGHT -> (long) g.k() * g.crs() <= 160_000
                    && ((long) g.p() * (g.w() + 2 * g.padW()) >= 512 || g.k() < 16);
        });
        if (implicit) return IMPLICIT;
        return g.pq() <= GROUP_MAX_PQ ? GROUPED_GEMM : IM2COL_GEMM;
    }

    // what every implicit path needs. Not the batch size: a batch smaller than the thread count runs on fewer threads
    // rather than switching to the parallel gemm, whose sums (in KC blocks) differ from the implicit path's, so that an
    // image's output does not depend on the batch it came in (a server's micro-batches give the answers of single calls)
    private static boolean implicitFits(ConvGeometry g, int threads) {
        return g.stride1() && g.padH() < g.r() && g.padW() < g.s();
    }

    // LeNet-sized: product depths and padded images small
    private static boolean small(ConvGeometry g) {
        return g.crs() <= 512 && g.k() * g.r() * g.s() <= 512
                && g.c() * (g.h() + 2 * g.padH()) * (g.w() + 2 * g.padW()) <= 1 << 14
                && g.k() * (g.h() + g.r() - 1) * (g.w() + g.s() - 1) <= 1 << 14;
    }
}
