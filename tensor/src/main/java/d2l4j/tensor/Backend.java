package d2l4j.tensor;

/**
 * The primitives a device must provide. Every operation of the engine bottoms out here, so a new device
 * (the Vector API CPU, OpenCL) is one implementation of this interface. Elementwise operations and
 * reductions have plain strided defaults; the kernels (GEMM, convolution, pooling, activations, the loss,
 * the SGD update) have no default, since they are what a backend is for.
 *
 * <p>Shapes: images are NCHW, convolution weights KCRS, linear weights [out, in] as PyTorch.
 * Inputs are never modified unless the method says so.
 */
public interface Backend {

    /** How the backend describes itself on the command line, e.g. {@code cpu (Vector API, 2 threads)}. */
    String name();

    /**
     * A copy of {@code t} that lives where this backend computes (device memory for a GPU backend); the CPU
     * backend returns {@code t} itself. Used to move parameters once before training.
     */
    default Tensor toDevice(Tensor t) {
        return t;
    }

    /**
     * A zero-filled tensor where this backend computes (the CPU: a host array, from its pool inside an
     * {@link Arena}). The defaults below make their results with it, so they come from the pool too.
     */
    default Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    /** What this backend has done so far (launches, allocations, bytes moved, waits); NONE on the CPU. */
    default DeviceCounters counters() {
        return DeviceCounters.NONE;
    }

    /** Waits until everything queued has run (timing); the CPU computes synchronously, so nothing to do. */
    default void sync() {}

    // ---- the batch going in (what crosses to a device per training step) ----

    /**
     * A batch of images as the network's input [n, 1, out, out]: {@code n} grayscale images of in×in
     * unsigned bytes from {@code pixels[offset ..]}, scaled to p/255 (torchvision's ToTensor) and resized
     * bilinearly to out×out ({@link Resize}, as torchvision's Resize on tensors). A device backend uploads
     * the bytes (1 byte a pixel) and scales and resizes on the device, so 224×224 batches cost no more bus
     * than 28×28 ones. Default: on the host, exactly as the data loader's float images.
     */
    default Tensor images(byte[] pixels, int offset, int n, int in, int out) {
        int inLen = in * in, outLen = out * out;
        Tensor images = zeros(n, 1, out, out);
        float[] y = images.data();
        float[] plane = new float[inLen];
        Resize resize = in == out ? null : new Resize(in, out);
        for (int i = 0; i < n; i++) {
            float[] dst = resize == null ? y : plane;
            int at = resize == null ? i * outLen : 0;
            for (int k = 0; k < inLen; k++) dst[at + k] = (pixels[offset + i * inLen + k] & 0xff) / 255f;
            if (resize != null) resize.apply(plane, 0, y, i * outLen);
        }
        return images;
    }

    /** The first {@code n} class labels as a tensor of n floats where the backend computes (uploaded once a batch). */
    default Tensor labels(int[] labels, int n) {
        Tensor t = zeros(n);
        float[] f = t.data();
        for (int i = 0; i < n; i++) f[i] = labels[i];
        return t;
    }

    // ---- layout and elementwise (defaults: plain strided loops) ----

    default Tensor contiguous(Tensor x) {
        return StridedLoops.contiguous(x);
    }

    default Tensor unary(UnaryOp op, Tensor x) {
        return StridedLoops.unary(op, x);
    }

    default Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return StridedLoops.binary(op, a, b);
    }

    /** A reduction along {@code dim}, or over all elements when {@code all} (then a scalar). */
    default Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim, boolean all) {
        return StridedLoops.reduce(op, x, dim, keepDim, all);
    }

    // ---- matrix products ----

    /**
     * C = op(A)·op(B) + beta·C for 2-D tensors, op = transpose when the flag is set. Writes into {@code c}
     * (contiguous), which is the only argument modified.
     */
    void gemm(boolean transA, boolean transB, Tensor a, Tensor b, float beta, Tensor c);

    /** op(A)·op(B) as a new [m, n] tensor, made by this backend (on its device). */
    default Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        int m = transA ? a.dim(1) : a.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        Tensor c = zeros(m, n);
        gemm(transA, transB, a, b, 0f, c);
        return c;
    }

    /**
     * Affine map y = x·Wᵀ + b (x [N, in], W [out, in], b [out] or null). Default: every row starts as the
     * bias, then the product is added on top (gemm with beta = 1), so the bias costs no extra pass.
     */
    default Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int n = x.dim(0), out = weight.dim(0);
        Tensor y = Tensor.zeros(n, out);
        if (bias != null) {
            Tensor b = bias.contiguous();
            float[] bd = b.data(), yd = y.data();
            for (int i = 0; i < n; i++) System.arraycopy(bd, b.offset(), yd, i * out, out);
        }
        gemm(false, true, x, weight, bias == null ? 0f : 1f, y);
        return y;
    }

    /** Concatenation along {@code dim} (torch.cat). Default: {@link Tensor#cat} in host memory. */
    default Tensor cat(int dim, Tensor... ts) {
        return Tensor.cat(dim, ts);
    }

    /** A contiguous copy of elements {@code start .. start+length-1} along {@code dim}. */
    default Tensor narrow(Tensor x, int dim, int start, int length) {
        return StridedLoops.contiguous(x.slice(dim, start, start + length));
    }

    // ---- convolution: y[n,k,p,q] = b[k] + Σ_{c,r,s} w[k,c,r,s] · x[n, c, p·sh + r − ph, q·sw + s − pw] ----

    /** x [N,C,H,W], weight [K,C,R,S], bias [K] or null → y [N,K,P,Q]. */
    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d window);

    /**
     * relu(conv2d(x, weight, bias)): a convolution followed by a ReLU, which a device backend does in one
     * kernel (the ReLU applied as the result is stored). Default: the two operations.
     */
    default Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, Window2d window) {
        return relu(conv2d(x, weight, bias, window));
    }

    /** dx = the adjoint of conv2d in x: for dy [N,K,P,Q] gives dx of shape {@code xShape}. */
    Tensor conv2dBackwardData(Tensor dy, Tensor weight, int[] xShape, Window2d window);

    /** {dWeight [K,C,R,S], dBias [K] (null unless {@code withBias})} from x and dy. */
    Tensor[] conv2dBackwardWeight(Tensor x, Tensor dy, int[] weightShape, boolean withBias, Window2d window);

    // ---- pooling (count_include_pad for average; the first maximum wins for max) ----

    Tensor avgPool2d(Tensor x, Window2d window);

    Tensor avgPool2dBackward(Tensor dy, int[] xShape, Window2d window);

    Tensor maxPool2d(Tensor x, Window2d window);

    /**
     * Adaptive average pooling to outH × outW, as PyTorch: output cell (i, j) averages input rows
     * [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉) and columns likewise (bins may overlap when sizes don't divide).
     * Default: plain loops; d2l uses it only as global pooling on small maps, so it is cheap.
     */
    default Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        return AdaptivePooling.forward(x, outH, outW);
    }

    /** Spreads each dy cell evenly over its bin. */
    default Tensor adaptiveAvgPool2dBackward(Tensor dy, int[] xShape) {
        return AdaptivePooling.backward(dy, xShape);
    }

    /** Routes dy to the first maximum of each window, recomputed from x. */
    Tensor maxPool2dBackward(Tensor x, Tensor dy, Window2d window);

    // ---- activations ----

    Tensor sigmoid(Tensor x);

    /** dx = dy · y · (1 − y), from the forward output y. */
    Tensor sigmoidBackward(Tensor y, Tensor dy);

    Tensor relu(Tensor x);

    /** dx = dy where x &gt; 0, else 0. */
    Tensor reluBackward(Tensor x, Tensor dy);

    // ---- loss and optimizer ----

    /**
     * Mean cross-entropy of softmax(logits [N, classes]) against the labels (N class indices as floats, from
     * {@link #labels}): returns {mean loss as a one-element tensor, softmax probabilities [N, classes] for
     * the backward pass}, both where the backend computes (a device backend does not read the loss back).
     */
    Tensor[] softmaxCrossEntropy(Tensor logits, Tensor labels);

    /** dLogits = dLoss · (prob − onehot(labels)) / N. */
    Tensor softmaxCrossEntropyBackward(Tensor prob, Tensor labels, float dLoss);

    // ---- dropout and metrics ----

    /**
     * An inverted-dropout mask of the given shape: element i is 0 with probability p, else 1/(1 − p), from
     * {@link Philox#dropoutMask} keyed by (seed, epoch, step, layer), so every backend draws the same
     * mask. Default: on the host.
     */
    default Tensor dropoutMask(int[] shape, float p, long seed, int epoch, int step, int layer) {
        Tensor mask = zeros(shape);
        float[] m = mask.data();
        Philox.dropoutMask(m, 0, m.length, p, seed, epoch, step, layer);
        return mask;
    }

    /**
     * Adds one batch to the running metrics of an epoch, where they are (a device backend keeps them on
     * the device until they are read): {@code sums} is a [3] tensor from {@link #zeros}; sums[0] += loss·N
     * with Kahan's compensation kept in sums[1] (unless {@code loss} is null), sums[2] += the number of
     * rows whose first maximum in {@code logits} [N, classes] is the label (d2l's accuracy()).
     */
    default void accumulateMetrics(Tensor sums, Tensor loss, Tensor logits, Tensor labels) {
        Metrics.accumulate(sums, loss, logits, labels);
    }

    /** In place: w ← w − lr · g. */
    void sgdUpdate(Tensor w, Tensor g, float lr);
}
