// SGEMM: C (M×N, ldc) = op(A) (M×K) · op(B) (K×N) + beta·C, op = transpose for the T of the kernel's
// name (gemm_nn, gemm_nt, gemm_tn, gemm_tt); A stored M×K (K×M when transposed) with leading dimension
// lda, B likewise. Each is the tile of tile.cl with the loads below; beta = 0 never reads C.

#define TILE_NAME gemm_nn
#define TILE_ARGS int M, int N, int K, __global const float* A, int aOff, int lda, __global const float* B, int bOff, int ldb, float beta, __global float* C, int cOff, int ldc
#define GEMM_M M
#define GEMM_N N
#define GEMM_K K
#define LOAD_A(m, k) A[aOff + (m) * lda + (k)]
#define LOAD_B(k, n) B[bOff + (k) * ldb + (n)]
#define A_K_FAST 1
#define B_N_FAST 1
#define STORE_C(m, n, v) { int c_ = cOff + (m) * ldc + (n); C[c_] = beta == 0.0f ? (v) : (v) + beta * C[c_]; }
#pragma d2l4j tile

#define TILE_NAME gemm_nt
#define TILE_ARGS int M, int N, int K, __global const float* A, int aOff, int lda, __global const float* B, int bOff, int ldb, float beta, __global float* C, int cOff, int ldc
#define GEMM_M M
#define GEMM_N N
#define GEMM_K K
#define LOAD_A(m, k) A[aOff + (m) * lda + (k)]
#define LOAD_B(k, n) B[bOff + (n) * ldb + (k)]
#define A_K_FAST 1
#define B_N_FAST 0
#define STORE_C(m, n, v) { int c_ = cOff + (m) * ldc + (n); C[c_] = beta == 0.0f ? (v) : (v) + beta * C[c_]; }
#pragma d2l4j tile

#define TILE_NAME gemm_tn
#define TILE_ARGS int M, int N, int K, __global const float* A, int aOff, int lda, __global const float* B, int bOff, int ldb, float beta, __global float* C, int cOff, int ldc
#define GEMM_M M
#define GEMM_N N
#define GEMM_K K
#define LOAD_A(m, k) A[aOff + (k) * lda + (m)]
#define LOAD_B(k, n) B[bOff + (k) * ldb + (n)]
#define A_K_FAST 0
#define B_N_FAST 1
#define STORE_C(m, n, v) { int c_ = cOff + (m) * ldc + (n); C[c_] = beta == 0.0f ? (v) : (v) + beta * C[c_]; }
#pragma d2l4j tile

#define TILE_NAME gemm_tt
#define TILE_ARGS int M, int N, int K, __global const float* A, int aOff, int lda, __global const float* B, int bOff, int ldb, float beta, __global float* C, int cOff, int ldc
#define GEMM_M M
#define GEMM_N N
#define GEMM_K K
#define LOAD_A(m, k) A[aOff + (k) * lda + (m)]
#define LOAD_B(k, n) B[bOff + (n) * ldb + (k)]
#define A_K_FAST 0
#define B_N_FAST 0
#define STORE_C(m, n, v) { int c_ = cOff + (m) * ldc + (n); C[c_] = beta == 0.0f ? (v) : (v) + beta * C[c_]; }
#pragma d2l4j tile
