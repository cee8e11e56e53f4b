// What crosses the bus per step, and what comes back: the batch's bytes going in, the metrics accumulated
// here until the host reads them. FP_CONTRACT OFF: these must round exactly as d2l4j's Java code (no
// fused multiply-adds the Java source does not write), so both backends give the same images and sums.
#pragma OPENCL FP_CONTRACT OFF

// y [N, 1, out, out] from N images of in×in bytes: scale[p] = p / 255 (a table computed in Java: OpenCL's
// division need not round correctly), then the bilinear resize of d2l4j.tensor.Resize with its tables:
// for output row y and column x, sources i0/i1 (small integers, stored exactly as floats) with weights
// w0/w1 (in == out: no tables, only the scaling).
//   top = w0[x]·s[r0 + c0] + w1[x]·s[r0 + c1], bottom likewise on row r1, y = w0[y]·top + w1[y]·bottom
__kernel void images_from_bytes(__global const uchar* px, int N, int in, int out, __global const float* scale,
                                __global const float* i0, __global const float* i1, __global const float* w0,
                                __global const float* w1, __global float* y) {
    int i = get_global_id(0);
    if (i >= N * out * out) return;
    int x = i % out, row = (i / out) % out, n = i / (out * out);
    __global const uchar* img = px + n * in * in;
    if (in == out) {
        y[i] = scale[img[row * in + x]];
        return;
    }
    int r0 = (int) i0[row] * in, r1 = (int) i1[row] * in, c0 = (int) i0[x], c1 = (int) i1[x];
    float top = w0[x] * scale[img[r0 + c0]] + w1[x] * scale[img[r0 + c1]];
    float bottom = w0[x] * scale[img[r1 + c0]] + w1[x] * scale[img[r1 + c1]];
    y[i] = w0[row] * top + w1[row] * bottom;
}

// The epoch's running metrics, sums [3], as d2l4j.tensor.Metrics on the host: sums[0] += loss·N with
// Kahan's compensation in sums[1] (when hasLoss), sums[2] += #rows whose first maximum is the label.
// One work-item: N ≤ a batch, a few hundred rows of 10.
__kernel void accumulate_metrics(__global float* sums, __global const float* loss, int hasLoss,
                                 __global const float* z, int zOff, int N, int classes, __global const float* labels) {
    if (get_global_id(0) != 0) return;
    if (hasLoss) {
        float yv = loss[0] * N - sums[1];
        float t = sums[0] + yv;
        sums[1] = (t - sums[0]) - yv;
        sums[0] = t;
    }
    int hits = 0;
    for (int n = 0; n < N; n++) {
        int base = zOff + n * classes, best = 0;
        for (int j = 1; j < classes; j++) if (z[base + j] > z[base + best]) best = j;
        if (best == (int) labels[n]) hits++;
    }
    sums[2] += hits;
}
