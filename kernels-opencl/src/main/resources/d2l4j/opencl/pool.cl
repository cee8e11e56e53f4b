// Pooling over R×S windows with stride (sh, sw) and zero padding (ph, pw) of planes [NC, H, W] → [NC, P, Q].
// Average: count_include_pad (divisor R·S); max: padding acts as −∞, the first maximum wins (PyTorch CPU).

__kernel void avgpool_forward(__global const float* x, int xOff, int NC, int H, int W, int R, int S,
                              int sh, int sw, int ph, int pw, int P, int Q, __global float* y) {
    int i = get_global_id(0);
    if (i >= NC * P * Q) return;
    int q = i % Q, p = (i / Q) % P, pl = i / (P * Q);
    float sum = 0.0f;
    for (int r = 0; r < R; r++) {
        int ih = p * sh - ph + r;
        if (ih < 0 || ih >= H) continue;
        for (int s = 0; s < S; s++) {
            int iw = q * sw - pw + s;
            if (iw >= 0 && iw < W) sum += x[xOff + (pl * H + ih) * W + iw];
        }
    }
    y[i] = sum / (R * S);
}

// dx[ih, iw] = Σ over the windows (p, q) containing it of dy[p, q] / (R·S); a gather per input element.
__kernel void avgpool_backward(__global const float* dy, int dyOff, int NC, int H, int W, int R, int S,
                               int sh, int sw, int ph, int pw, int P, int Q, __global float* dx) {
    int i = get_global_id(0);
    if (i >= NC * H * W) return;
    int iw = i % W, ih = (i / W) % H, pl = i / (H * W);
    float sum = 0.0f;
    for (int r = 0; r < R; r++) {
        int hp = ih + ph - r;
        if (hp < 0 || hp % sh != 0 || hp / sh >= P) continue;
        for (int s = 0; s < S; s++) {
            int wq = iw + pw - s;
            if (wq < 0 || wq % sw != 0 || wq / sw >= Q) continue;
            sum += dy[dyOff + (pl * P + hp / sh) * Q + wq / sw];
        }
    }
    dx[i] = sum / (R * S);
}

// The flat index (ih·W + iw) of the first maximum of window (p, q) in plane pl.
int window_argmax(__global const float* x, int base, int H, int W, int R, int S, int ih0, int iw0) {
    int best = -1;
    float m = 0.0f;
    for (int r = 0; r < R; r++) {
        int ih = ih0 + r;
        if (ih < 0 || ih >= H) continue;
        for (int s = 0; s < S; s++) {
            int iw = iw0 + s;
            if (iw < 0 || iw >= W) continue;
            float v = x[base + ih * W + iw];
            if (best < 0 || v > m || isnan(v)) {
                best = ih * W + iw;
                m = v;
            }
        }
    }
    return best;
}

__kernel void maxpool_forward(__global const float* x, int xOff, int NC, int H, int W, int R, int S,
                              int sh, int sw, int ph, int pw, int P, int Q, __global float* y) {
    int i = get_global_id(0);
    if (i >= NC * P * Q) return;
    int q = i % Q, p = (i / Q) % P, pl = i / (P * Q);
    int base = xOff + pl * H * W;
    y[i] = x[base + window_argmax(x, base, H, W, R, S, p * sh - ph, q * sw - pw)];
}

// dx[ih, iw] = Σ over windows whose first maximum is (ih, iw) of dy[p, q]; a gather per input element.
__kernel void maxpool_backward(__global const float* x, int xOff, __global const float* dy, int dyOff,
                               int NC, int H, int W, int R, int S, int sh, int sw, int ph, int pw, int P, int Q,
                               __global float* dx) {
    int i = get_global_id(0);
    if (i >= NC * H * W) return;
    int iw = i % W, ih = (i / W) % H, pl = i / (H * W);
    int base = xOff + pl * H * W, me = ih * W + iw;
    float sum = 0.0f;
    for (int r = 0; r < R; r++) {
        int hp = ih + ph - r;
        if (hp < 0 || hp % sh != 0 || hp / sh >= P) continue;
        for (int s = 0; s < S; s++) {
            int wq = iw + pw - s;
            if (wq < 0 || wq % sw != 0 || wq / sw >= Q) continue;
            int p = hp / sh, q = wq / sw;
            if (window_argmax(x, base, H, W, R, S, p * sh - ph, q * sw - pw) == me) sum += dy[dyOff + (pl * P + p) * Q + q];
        }
    }
    dx[i] = sum;
}

// Adaptive average pooling (nn.AdaptiveAvgPool2d) of planes [NC, H, W] to [NC, P, Q]: cell (p, q) averages
// rows [⌊p·H/P⌋, ⌈(p+1)·H/P⌉) and columns [⌊q·W/Q⌋, ⌈(q+1)·W/Q⌉) (bins may overlap). One work-item per cell.
__kernel void adaptive_avgpool_forward(__global const float* x, int xOff, int NC, int H, int W, int P, int Q,
                                       __global float* y) {
    int i = get_global_id(0);
    if (i >= NC * P * Q) return;
    int q = i % Q, p = (i / Q) % P, pl = i / (P * Q);
    int h0 = p * H / P, h1 = ((p + 1) * H + P - 1) / P, w0 = q * W / Q, w1 = ((q + 1) * W + Q - 1) / Q;
    float sum = 0.0f;
    for (int h = h0; h < h1; h++)
        for (int w = w0; w < w1; w++) sum += x[xOff + (pl * H + h) * W + w];
    y[i] = sum / ((h1 - h0) * (w1 - w0));
}

// Backward: dx[h, w] = Σ over the cells (p, q) whose bin holds (h, w) of dy[p, q] / (bin size): a gather
// per input element over the few cells that can contain it.
__kernel void adaptive_avgpool_backward(__global const float* dy, int dyOff, int NC, int H, int W, int P, int Q,
                                        __global float* dx) {
    int i = get_global_id(0);
    if (i >= NC * H * W) return;
    int w = i % W, h = (i / W) % H, pl = i / (H * W);
    float sum = 0.0f;
    for (int p = max(h * P / H - 1, 0); p < P && p * H / P <= h; p++) {
        int h0 = p * H / P, h1 = ((p + 1) * H + P - 1) / P;
        if (h < h0 || h >= h1) continue;
        for (int q = max(w * Q / W - 1, 0); q < Q && q * W / Q <= w; q++) {
            int w0 = q * W / Q, w1 = ((q + 1) * W + Q - 1) / Q;
            if (w < w0 || w >= w1) continue;
            sum += dy[dyOff + (pl * P + p) * Q + q] / ((h1 - h0) * (w1 - w0));
        }
    }
    dx[i] = sum;
}
