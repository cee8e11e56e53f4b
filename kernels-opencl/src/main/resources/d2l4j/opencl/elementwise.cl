// Elementwise kernels. One work-item per element; n is the element count (work-items past it return).

// y = a ⊙ b for op 0 = add, 1 = sub, 2 = mul (d2l4j.tensor.BinaryOp's order), same shapes, contiguous.
__kernel void binary(int op, __global const float* a, int aOff, __global const float* b, int bOff,
                     __global float* y, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    float x = a[aOff + i], z = b[bOff + i];
    y[i] = op == 0 ? x + z : op == 1 ? x - z : x * z;
}

// y[j] = Σ_i x[i, j] for x [rows, cols] (Linear's bias gradient); rows summed in order.
__kernel void sum_rows(__global const float* x, int xOff, int rows, int cols, __global float* y) {
    int j = get_global_id(0);
    if (j >= cols) return;
    float s = 0.0f;
    for (int i = 0; i < rows; i++) s += x[xOff + i * cols + j];
    y[j] = s;
}

// σ(x) = 1 / (1 + e^−x)
__kernel void sigmoid_forward(__global const float* x, int xOff, __global float* y, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    y[i] = 1.0f / (1.0f + exp(-x[xOff + i]));
}

// dx = dy · y · (1 − y), from the forward output y
__kernel void sigmoid_backward(__global const float* y, int yOff, __global const float* dy, int dyOff,
                               __global float* dx, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = y[yOff + i];
    dx[i] = dy[dyOff + i] * v * (1.0f - v);
}

// max(x, 0), NaN kept (as torch.relu)
__kernel void relu_forward(__global const float* x, int xOff, __global float* y, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xOff + i];
    y[i] = v > 0.0f ? v : (isnan(v) ? v : 0.0f);
}

// dx = dy where x > 0, else 0
__kernel void relu_backward(__global const float* x, int xOff, __global const float* dy, int dyOff,
                            __global float* dx, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    dx[i] = x[xOff + i] > 0.0f ? dy[dyOff + i] : 0.0f;
}

// In place: w ← fma(−lr, g, w), one rounding, bit for bit as the CPU kernels and PyTorch's add_.
__kernel void sgd_update(__global float* w, int wOff, __global const float* g, int gOff, float lr, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    w[wOff + i] = fma(-lr, g[gOff + i], w[wOff + i]);
}

// Block copy for concatenation and narrowing: for each of `outer` blocks of `block` floats,
// dst[dstOff + o·dstStride + j] = src[srcOff + o·srcStride + j].
__kernel void copy_blocks(__global const float* src, int srcOff, int srcStride,
                          __global float* dst, int dstOff, int dstStride, int block, int outer) {
    int i = get_global_id(0);
    if (i >= outer * block) return;
    int o = i / block, j = i % block;
    dst[dstOff + o * dstStride + j] = src[srcOff + o * srcStride + j];
}
