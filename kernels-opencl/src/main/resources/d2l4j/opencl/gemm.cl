// SGEMM, tiled: C (M×N, ldc) = op(A) (M×K) · op(B) (K×N) + beta·C, op = transpose when the flag is set;
// A stored M×K (or K×M transposed) with leading dimension lda, B likewise. Each 16×16 work-group stages a
// 16×16 tile of op(A) and of op(B) in local memory per step of K, so each global element is read once per
// tile instead of once per product; each work-item accumulates one C element in a register, k in order.
// Global size (N, M) rounded up to 16; out-of-range work-items load zeros and store nothing.
#define TS 16
__kernel void gemm(int transA, int transB, int M, int N, int K,
                   __global const float* A, int aOff, int lda,
                   __global const float* B, int bOff, int ldb,
                   float beta, __global float* C, int cOff, int ldc) {
    int col = get_global_id(0), row = get_global_id(1);
    int lc = get_local_id(0), lr = get_local_id(1);
    __local float As[TS][TS + 1];
    __local float Bs[TS][TS + 1];
    float acc = 0.0f;
    for (int t = 0; t < K; t += TS) {
        int ka = t + lc, kb = t + lr;
        As[lr][lc] = (row < M && ka < K) ? (transA ? A[aOff + ka * lda + row] : A[aOff + row * lda + ka]) : 0.0f;
        Bs[lr][lc] = (kb < K && col < N) ? (transB ? B[bOff + col * ldb + kb] : B[bOff + kb * ldb + col]) : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TS; k++) acc = fma(As[lr][k], Bs[k][lc], acc);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < M && col < N) {
        int c = cOff + row * ldc + col;
        C[c] = beta == 0.0f ? acc : acc + beta * C[c];
    }
}
