// Softmax cross-entropy, stable: for row n of z [N, classes], m = max_j z_j,
// prob_j = e^{z_j − m} / Σ_j e^{z_j − m}, loss_n = log Σ_j e^{z_j − m} + m − z_{label}.
// One work-item per row; the host averages loss_n over the rows.
__kernel void softmax_xent_forward(__global const float* z, int zOff, int N, int classes,
                                   __global const float* labels, __global float* prob, __global float* rowLoss) {
    int n = get_global_id(0);
    if (n >= N) return;
    int base = zOff + n * classes;
    float m = z[base];
    for (int j = 1; j < classes; j++) m = fmax(m, z[base + j]);
    float sum = 0.0f;
    for (int j = 0; j < classes; j++) {
        float e = exp(z[base + j] - m);
        prob[n * classes + j] = e;
        sum += e;
    }
    for (int j = 0; j < classes; j++) prob[n * classes + j] /= sum;
    int label = (int) labels[n];
    rowLoss[n] = log(sum) + m - z[base + label];
}

// dz = dLoss · (prob − onehot(label)) / N
__kernel void softmax_xent_backward(__global const float* prob, int pOff, int N, int classes,
                                    __global const float* labels, float dLoss, __global float* dz) {
    int i = get_global_id(0);
    if (i >= N * classes) return;
    int n = i / classes, j = i % classes;
    float t = j == (int) labels[n] ? 1.0f : 0.0f;
    dz[i] = dLoss * (prob[pOff + i] - t) / N;
}

// loss[0] = (1/N) Σ_n rowLoss[n], summed in order by one work-item (N is a batch: a few hundred rows).
__kernel void mean_loss(__global const float* rowLoss, int N, __global float* loss) {
    if (get_global_id(0) != 0) return;
    float s = 0.0f;
    for (int n = 0; n < N; n++) s += rowLoss[n];
    loss[0] = s / N;
}
