package d2l4j.tensor;

/**
 * The host version of {@link Backend#accumulateMetrics}: the same float arithmetic as the OpenCL kernel
 * (Kahan-compensated float sum of loss·N, exact float count of hits), so that both backends print the
 * same epoch lines for the same losses.
 */
final class Metrics {
    private Metrics() {}

    static void accumulate(Tensor sums, Tensor loss, Tensor logits, Tensor labels) {
        if (sums.numel() != 3 || !sums.isContiguous()) throw new IllegalArgumentException("metrics: expected sums [3], got " + sums.shapeString());
        int n = logits.dim(0), classes = logits.dim(1);
        if (labels.numel() != n) {
            throw new IllegalArgumentException("metrics: " + labels.numel() + " labels for logits " + logits.shapeString());
        }
        float[] s = sums.data();
        int o = sums.offset();
        if (loss != null) {
            float y = loss.item() * n - s[o + 1];
            float t = s[o] + y;
            s[o + 1] = (t - s[o]) - y;
            s[o] = t;
        }
        Tensor z = logits.contiguous(), lab = labels.contiguous();
        float[] zd = z.data(), ld = lab.data();
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int base = z.offset() + i * classes, best = 0;
            for (int j = 1; j < classes; j++) if (zd[base + j] > zd[base + best]) best = j;
            if (best == (int) ld[lab.offset() + i]) hits++;
        }
        s[o + 2] += hits;
    }
}
