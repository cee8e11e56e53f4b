// Convolution helpers. Letters: C channels, H×W input, R×S kernel, P×Q output, K output channels.

// col[(c·R + r)·S + s][p·Q + q] = x[c, p·sh − ph + r, q·sw − pw + s] (0 in the padding).
// col is (C·R·S)×(P·Q); one work-item per col element.
__kernel void im2col(__global const float* x, int xOff, int C, int H, int W, int R, int S,
                     int sh, int sw, int ph, int pw, int P, int Q, __global float* col, int colOff) {
    int i = get_global_id(0);
    if (i >= C * R * S * P * Q) return;
    int q = i % Q, t = i / Q;
    int p = t % P; t /= P;
    int s = t % S; t /= S;
    int r = t % R, c = t / R;
    int ih = p * sh - ph + r, iw = q * sw - pw + s;
    col[colOff + i] = (ih >= 0 && ih < H && iw >= 0 && iw < W) ? x[xOff + (c * H + ih) * W + iw] : 0.0f;
}

// The adjoint of im2col, as a gather so that no two work-items write the same place (no atomics):
// x[c, ih, iw] = Σ over (r, s) with ih = p·sh − ph + r and iw = q·sw − pw + s of col[(c, r, s), (p, q)].
// OVERWRITES x (one image); one work-item per input element.
__kernel void col2im(__global const float* col, int colOff, int C, int H, int W, int R, int S,
                     int sh, int sw, int ph, int pw, int P, int Q, __global float* x, int xOff) {
    int i = get_global_id(0);
    if (i >= C * H * W) return;
    int iw = i % W, t = i / W;
    int ih = t % H, c = t / H;
    float sum = 0.0f;
    for (int r = 0; r < R; r++) {
        int hp = ih + ph - r;
        if (hp < 0 || hp % sh != 0 || hp / sh >= P) continue;
        int p = hp / sh;
        for (int s = 0; s < S; s++) {
            int wq = iw + pw - s;
            if (wq < 0 || wq % sw != 0 || wq / sw >= Q) continue;
            sum += col[colOff + ((c * R + r) * S + s) * P * Q + p * Q + wq / sw];
        }
    }
    x[xOff + i] = sum;
}

// y[n, k, pq] += b[k] for y [N, K, PQ] in place.
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
