// The one tiled matrix product every GEMM and convolution kernel is made of (the host pastes this text
// after each kernel's macros, where its .cl file says "#pragma d2l4j tile"):
//
//   C[m][n] = Σ_{k < GEMM_K} A(m, k) · B(k, n)    for m < GEMM_M, n < GEMM_N,   then STORE_C(m, n, C[m][n])
//
// A(m, k) = LOAD_A(m, k) and B(k, n) = LOAD_B(k, n) are expressions of the kernel's arguments, so a
// convolution reads its operands straight from the images (implicit GEMM: no im2col buffer, the whole
// batch in one launch). A_K_FAST / B_N_FAST say which index moves along memory (1: consecutive k for A,
// consecutive n for B), so that neighbouring work-items load neighbouring addresses (coalesced loads).
//
// Tiling (the tuner's parameters, set per device): a work-group of NDIMC × MDIMC work-items computes an
// MWG × NWG tile of C; each work-item holds MWI × NWI = (MWG/MDIMC) × (NWG/NDIMC) sums in registers, at rows
// ty + MDIMC·i and columns tx + NDIMC·j. Per step of KWG along k the group stages an MWG × KWG slice of A
// and a KWG × NWG slice of B in local memory, then each work-item does KWG · MWI · NWI fused multiply-adds
// from (MWI + NWI) · KWG local loads. Every sum runs over k in increasing order, one fma at a time, so the
// result does not depend on the tile parameters. Global size (⌈N/NWG⌉·NDIMC, ⌈M/MWG⌉·MDIMC, 1).
//
// Split k (when the kernel defines TILE_KCHUNK, an expression of its arguments): work-group z of the third
// dimension sums only k in [z·TILE_KCHUNK, (z+1)·TILE_KCHUNK), for products with a small C and a long k
// (a weight gradient sums over every pixel of the batch) that would otherwise keep only a few work-groups
// busy; STORE_C then writes slice z's partial sums, which sum_slices adds in slice order.
#define MWI (MWG / MDIMC)
#define NWI (NWG / NDIMC)
__kernel __attribute__((reqd_work_group_size(NDIMC, MDIMC, 1)))
void TILE_NAME(TILE_ARGS) {
    const int tx = get_local_id(0), ty = get_local_id(1), tid = ty * NDIMC + tx;
    const int col0 = get_group_id(0) * NWG, row0 = get_group_id(1) * MWG;
    __local float As[KWG][MWG + 1];
    __local float Bs[KWG][NWG + 1];
    float acc[MWI][NWI];
    for (int i = 0; i < MWI; i++)
        for (int j = 0; j < NWI; j++) acc[i][j] = 0.0f;
#ifdef TILE_KCHUNK
    const int kBegin = get_group_id(2) * (TILE_KCHUNK), kEnd = min(GEMM_K, kBegin + (TILE_KCHUNK));
#else
    const int kBegin = 0, kEnd = GEMM_K;
#endif
    for (int t = kBegin; t < kEnd; t += KWG) {
        for (int idx = tid; idx < MWG * KWG; idx += NDIMC * MDIMC) {
#if A_K_FAST
            const int mm = idx / KWG, kk = idx % KWG;
#else
            const int kk = idx / MWG, mm = idx % MWG;
#endif
            const int gm = row0 + mm, gk = t + kk;
            As[kk][mm] = (gm < GEMM_M && gk < kEnd) ? LOAD_A(gm, gk) : 0.0f;
        }
        for (int idx = tid; idx < KWG * NWG; idx += NDIMC * MDIMC) {
#if B_N_FAST
            const int kk = idx / NWG, nn = idx % NWG;
#else
            const int nn = idx / KWG, kk = idx % KWG;
#endif
            const int gk = t + kk, gn = col0 + nn;
            Bs[kk][nn] = (gk < kEnd && gn < GEMM_N) ? LOAD_B(gk, gn) : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
#pragma unroll
        for (int k = 0; k < KWG; k++) {
            float a[MWI], b[NWI];
            for (int i = 0; i < MWI; i++) a[i] = As[k][ty + MDIMC * i];
            for (int j = 0; j < NWI; j++) b[j] = Bs[k][tx + NDIMC * j];
            for (int i = 0; i < MWI; i++)
                for (int j = 0; j < NWI; j++) acc[i][j] = fma(a[i], b[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < MWI; i++) {
        const int m = row0 + ty + MDIMC * i;
        if (m >= GEMM_M) continue;
        for (int j = 0; j < NWI; j++) {
            const int n = col0 + tx + NDIMC * j;
            if (n < GEMM_N) STORE_C(m, n, acc[i][j]);
        }
    }
}
#undef MWI
#undef NWI
#undef TILE_NAME
#undef TILE_ARGS
#undef GEMM_M
#undef GEMM_N
#undef GEMM_K
#undef LOAD_A
#undef LOAD_B
#undef STORE_C
#undef A_K_FAST
#undef B_N_FAST
#undef TILE_KCHUNK
