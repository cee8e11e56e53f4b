package d2l4j.opencl;

import java.util.List;

/**
 * The tile of the GEMM and convolution kernels (tile.cl): a work-group of ndimc × mdimc work-items
 * computes an mwg × nwg block of C, stepping kwg along k; each work-item holds (mwg/mdimc) × (nwg/ndimc)
 * sums in registers. Which one is fastest depends on the device (registers, local memory, warp width),
 * so {@link ClTuner} times the candidates below on first use and remembers the winner.
 */
record TileConfig(String name, int mwg, int nwg, int kwg, int mdimc, int ndimc) {

    /** The candidates, from small (CPUs, small matrices) to large (GPUs with many registers). */
    static final List<TileConfig> CANDIDATES = List.of(
            new TileConfig("t32x32k16w8x8", 32, 32, 16, 8, 8),
            new TileConfig("t64x64k16w16x16", 64, 64, 16, 16, 16),
            new TileConfig("t128x64k16w16x16", 128, 64, 16, 16, 16),
            new TileConfig("t64x128k16w16x16", 64, 128, 16, 16, 16),
            new TileConfig("t128x128k8w16x16", 128, 128, 8, 16, 16));

    static TileConfig named(String name) {
        for (TileConfig c : CANDIDATES) if (c.name.equals(name)) return c;
        return null;
    }

    int workGroupSize() {
        return mdimc * ndimc;
    }

    long localBytes() {
        return (long) kwg * (mwg + 1 + nwg + 1) * 4;
    }

    /** The compiler options that set this tile in tile.cl. */
    String defines() {
        return "-DMWG=" + mwg + " -DNWG=" + nwg + " -DKWG=" + kwg + " -DMDIMC=" + mdimc + " -DNDIMC=" + ndimc;
    }
}
