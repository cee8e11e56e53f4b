// Convolution as implicit GEMM: each direction is one launch over the whole batch of the tile in tile.cl,
// whose operand loads index the images directly (no im2col buffer).
// Letters: N images, C input channels, H×W input, K output channels, R×S kernel, stride (sh, sw),
// zero padding (ph, pw), P×Q output. The geometry arguments come last, in this order:
#define CONV_GEOMETRY int NB, int C, int H, int W, int K, int R, int S, int sh, int sw, int ph, int pw, int P, int Q

// The im2col matrix, never stored: X̂[(c, r, s)][(n, p, q)] = x[n, c, p·sh − ph + r, q·sw − pw + s],
// 0 in the padding; crs = (c·R + r)·S + s and npq = (n·P + p)·Q + q.
inline float conv_patch(__global const float* x, int xOff, int crs, int npq, int C, int H, int W, int R, int S,
                        int sh, int sw, int ph, int pw, int P, int Q) {
    int s = crs % S, t = crs / S;
    int r = t % R, c = t / R;
    int q = npq % Q, u = npq / Q;
    int p = u % P, n = u / P;
    int ih = p * sh - ph + r, iw = q * sw - pw + s;
    return (ih >= 0 && ih < H && iw >= 0 && iw < W) ? x[xOff + ((n * C + c) * H + ih) * W + iw] : 0.0f;
}

// dy seen as the adjoint's operand: dŶ[(k, r, s)][(n, h, w)] = dy[n, k, p, q] where h = p·sh − ph + r and
// w = q·sw − pw + s for some output cell (p, q), else 0.
inline float conv_dy_patch(__global const float* dy, int dyOff, int krs, int nhw, int K, int H, int W, int R, int S,
                           int sh, int sw, int ph, int pw, int P, int Q) {
    int s = krs % S, t = krs / S;
    int r = t % R, k = t / R;
    int w = nhw % W, u = nhw / W;
    int h = u % H, n = u / H;
    int hp = h + ph - r, wq = w + pw - s;
    if (hp < 0 || wq < 0 || hp % sh != 0 || wq % sw != 0) return 0.0f;
    int p = hp / sh, q = wq / sw;
    return (p < P && q < Q) ? dy[dyOff + ((n * K + k) * P + p) * Q + q] : 0.0f;
}

// Forward: y[n, k, p, q] = b[k] + Σ_{c,r,s} w[k, c, r, s] · X̂[(c,r,s)][(n,p,q)]
//   GEMM M = K, N = NB·P·Q, K = C·R·S; A = w [K, C·R·S], B = X̂; the bias is added in the store, and with
//   relu = 1 the ReLU too (max(v, 0), NaN kept, as relu_forward).
#define TILE_NAME conv2d_forward
#define TILE_ARGS __global const float* x, int xOff, __global const float* wt, int wOff, __global const float* bias, \
                  int bOff, int hasBias, int relu, __global float* y, CONV_GEOMETRY
#define GEMM_M K
#define GEMM_N (NB * P * Q)
#define GEMM_K (C * R * S)
#define LOAD_A(m, k) wt[wOff + (m) * (C * R * S) + (k)]
#define LOAD_B(k, n) conv_patch(x, xOff, k, n, C, H, W, R, S, sh, sw, ph, pw, P, Q)
#define A_K_FAST 1
#define B_N_FAST 1
#define STORE_C(m, n, v) { int img_ = (n) / (P * Q), pq_ = (n) % (P * Q); \
                           float o_ = hasBias ? (v) + bias[bOff + (m)] : (v); \
                           y[(img_ * K + (m)) * P * Q + pq_] = relu && !(o_ > 0.0f) && !isnan(o_) ? 0.0f : o_; }
#pragma d2l4j tile

// Data gradient (the adjoint of the forward in x): dx[n, c, h, w] = Σ_{k,r,s} w[k, c, r, s] · dŶ[(k,r,s)][(n,h,w)]
//   GEMM M = C, N = NB·H·W, K = K·R·S; A(c, (k,r,s)) = w[k, c, r, s]. OVERWRITES dx.
#define TILE_NAME conv2d_backward_data
#define TILE_ARGS __global const float* dy, int dyOff, __global const float* wt, int wOff, __global float* dx, CONV_GEOMETRY
#define GEMM_M C
#define GEMM_N (NB * H * W)
#define GEMM_K (K * R * S)
#define LOAD_A(m, k) wt[wOff + ((k) / (R * S) * C + (m)) * R * S + (k) % (R * S)]
#define LOAD_B(k, n) conv_dy_patch(dy, dyOff, k, n, K, H, W, R, S, sh, sw, ph, pw, P, Q)
#define A_K_FAST 1
#define B_N_FAST 1
#define STORE_C(m, n, v) { int img_ = (n) / (H * W); dx[(img_ * C + (m)) * H * W + (n) % (H * W)] = (v); }
#pragma d2l4j tile

// Weight gradient: dW[k, (c,r,s)] = Σ_{n,p,q} dy[n, k, p, q] · X̂[(c,r,s)][(n,p,q)]
//   GEMM M = K, N = C·R·S, K = NB·P·Q: the images summed inside the product. k is split in slices of
//   kChunk: slice z's partial dW goes to ws[z, k, crs] (one slice: ws is dW itself), and sum_slices adds the
//   slices in order. Splitting keeps many work-groups busy when dW is small and N·P·Q long.
#define TILE_NAME conv2d_backward_weight
#define TILE_ARGS __global const float* x, int xOff, __global const float* dy, int dyOff, __global float* ws, int kChunk, \
                  CONV_GEOMETRY
#define TILE_KCHUNK kChunk
#define GEMM_M K
#define GEMM_N (C * R * S)
#define GEMM_K (NB * P * Q)
#define LOAD_A(m, k) dy[dyOff + ((k) / (P * Q) * K + (m)) * P * Q + (k) % (P * Q)]
#define LOAD_B(k, n) conv_patch(x, xOff, n, k, C, H, W, R, S, sh, sw, ph, pw, P, Q)
#define A_K_FAST 1
#define B_N_FAST 0
#define STORE_C(m, n, v) { ws[(get_group_id(2) * K + (m)) * (C * R * S) + (n)] = (v); }
#pragma d2l4j tile

// y[i] = Σ_{z < slices} ws[z·count + i], in slice order (the split product's final sums).
__kernel void sum_slices(__global const float* ws, int slices, int count, __global float* y) {
    int i = get_global_id(0);
    if (i >= count) return;
    float s = 0.0f;
    for (int z = 0; z < slices; z++) s += ws[z * count + i];
    y[i] = s;
}

// y[n, k, pq] += b[k] for y [N, K, PQ] in place (Linear's bias: PQ = 1).
__kernel void add_channel_bias(__global float* y, __global const float* b, int bOff, int K, int PQ, int total) {
    int i = get_global_id(0);
    if (i >= total) return;
    y[i] += b[bOff + (i / PQ) % K];
}

// db[k] = Σ_n Σ_pq dy[n, k, pq]; one work-item per channel, summed in order.
__kernel void channel_sum(__global const float* dy, int dyOff, int N, int K, int PQ, __global float* db) {
    int k = get_global_id(0);
    if (k >= K) return;
    float s = 0.0f;
    for (int n = 0; n < N; n++) {
        int base = dyOff + (n * K + k) * PQ;
        for (int j = 0; j < PQ; j++) s += dy[base + j];
    }
    db[k] = s;
}
