// SGEMM, tiled and register-blocked: C (M×N, ldc) = op(A) (M×K) · op(B) (K×N) + beta·C, op = transpose
// when the flag is set; A stored M×K (or K×M transposed) with leading dimension lda, B likewise.
// A work-group of 16×16 work-items computes a 64×64 tile of C; each work-item holds a 4×4 block of it
// in registers (rows ty, ty+16, ty+32, ty+48; columns tx, tx+16, ...). Per step of 16 along K the group
// stages a 64×16 slice of op(A) and a 16×64 slice of op(B) in local memory (each work-item loads 4 of
// each), then every work-item does 16 × 4×4 fused multiply-adds from them: 16 loads of local memory per
// 16 FMAs instead of 2 per FMA. Each C element sums k in order. Global size (⌈N/64⌉·16, ⌈M/64⌉·16);
// out-of-range loads are zeros, out-of-range stores are skipped.
#define TT 64
#define TK 16
#define WPT 4
__kernel __attribute__((reqd_work_group_size(16, 16, 1)))
void gemm(int transA, int transB, int M, int N, int K,
          __global const float* A, int aOff, int lda,
          __global const float* B, int bOff, int ldb,
          float beta, __global float* C, int cOff, int ldc) {
    int tx = get_local_id(0), ty = get_local_id(1), tid = ty * 16 + tx;
    int col0 = get_group_id(0) * TT, row0 = get_group_id(1) * TT;
    __local float As[TK][TT + 1];
    __local float Bs[TK][TT + 1];
    float acc[WPT][WPT];
    for (int i = 0; i < WPT; i++) for (int j = 0; j < WPT; j++) acc[i][j] = 0.0f;
    for (int t = 0; t < K; t += TK) {
        for (int l = 0; l < 4; l++) {
            int idx = tid + l * 256;
            int m = idx / TK, ka = idx % TK, gr = row0 + m, gk = t + ka;
            As[ka][m] = (gr < M && gk < K) ? (transA ? A[aOff + gk * lda + gr] : A[aOff + gr * lda + gk]) : 0.0f;
            int kb = idx / TT, n = idx % TT, gc = col0 + n, gkb = t + kb;
            Bs[kb][n] = (gkb < K && gc < N) ? (transB ? B[bOff + gc * ldb + gkb] : B[bOff + gkb * ldb + gc]) : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TK; k++) {
            float a[WPT], b[WPT];
            for (int i = 0; i < WPT; i++) a[i] = As[k][ty + 16 * i];
            for (int j = 0; j < WPT; j++) b[j] = Bs[k][tx + 16 * j];
            for (int i = 0; i < WPT; i++) for (int j = 0; j < WPT; j++) acc[i][j] = fma(a[i], b[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < WPT; i++) {
        int row = row0 + ty + 16 * i;
        if (row >= M) continue;
        for (int j = 0; j < WPT; j++) {
            int col = col0 + tx + 16 * j;
            if (col >= N) continue;
            int c = cOff + row * ldc + col;
            C[c] = beta == 0.0f ? acc[i][j] : acc[i][j] + beta * C[c];
        }
    }
}
