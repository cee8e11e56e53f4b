package d2l4j.zoo.explain;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.Layer;
import d2l4j.tensor.Resize;
import d2l4j.tensor.Tensor;
import java.util.List;

/**
 * Which pixels a class score depends on, from the engine's own reverse mode: the score is a logit y_c (before
 * the softmax), and its gradient is one backward pass seeded with the one-hot vector of class c.
 *
 * <pre>
 * saliency (Simonyan et al., 2014):   S[i, j] = max_ch |∂y_c / ∂x[ch, i, j]|                          H×W
 * Grad-CAM (Selvaraju et al., 2017):  A = the last convolution block's output (K×h×w)
 *                                     α_k = (1 / h·w) Σ_ij ∂y_c / ∂A[k, i, j]       (gradients pooled per channel)
 *                                     L[i, j] = ReLU(Σ_k α_k · A[k, i, j])                               h×w
 *                                     upsampled to H×W bilinearly (F.interpolate, align_corners=False)
 * </pre>
 * Both run the net in eval mode (dropout off) on one image and leave no gradient behind in the parameters.
 */
public final class Attribution {
    private Attribution() {}

    /** Grad-CAM of one image: the h×w map L, and L resized to the image's side. */
    public record GradCam(float[] map, int side, float[] upsampled, int imageSide) {}

    /** S (H×W) for class {@code cls} of image x (1×C×H×W). */
    public static float[] saliency(Layer net, List<Probe.Step> steps, Tensor x, int cls) {
        checkImage(x);
        net.zeroGrad(); // a training step's gradients may still point into its (closed) arena
        Variable in = new Variable(x, true);
        Variable logits = Probe.run(steps, 0, steps.size(), in);
        backwardFrom(logits, cls);
        float[] g = in.grad().toArray();
        net.zeroGrad();
        int ch = x.dim(1), hw = x.dim(2) * x.dim(3);
        float[] s = new float[hw];
        for (int c = 0; c < ch; c++) {
            for (int i = 0; i < hw; i++) s[i] = Math.max(s[i], Math.abs(g[c * hw + i]));
        }
        return s;
    }

    /** Grad-CAM for class {@code cls} of image x (1×C×H×W, square), at the output of step {@code target}. */
    public static GradCam gradCam(Layer net, List<Probe.Step> steps, int target, Tensor x, int cls) {
        checkImage(x);
        Tensor a;
        try (var g = NoGrad.open()) {
            a = Probe.run(steps, 0, target + 1, new Variable(x)).data();
        }
        if (a.rank() != 4 || a.dim(2) != a.dim(3)) {
            throw new IllegalArgumentException("Grad-CAM: step " + steps.get(target).title() + " gives " + a.shapeString()
                    + ", expected square maps [1, K, h, h]");
        }
        net.zeroGrad();
        Variable av = new Variable(a, true); // the block output as a leaf: its gradient is kept
        Variable logits = Probe.run(steps, target + 1, steps.size(), av);
        backwardFrom(logits, cls);
        float[] grad = av.grad().toArray(), act = a.toArray();
        net.zeroGrad();
        int k = a.dim(1), side = a.dim(2), hw = side * side;
        float[] cam = new float[hw];
        for (int ch = 0; ch < k; ch++) {
            double alpha = 0;
            for (int i = 0; i < hw; i++) alpha += grad[ch * hw + i];
            float w = (float) (alpha / hw);
            for (int i = 0; i < hw; i++) cam[i] += w * act[ch * hw + i];
        }
        for (int i = 0; i < hw; i++) cam[i] = Math.max(cam[i], 0f);
        int imageSide = x.dim(2);
        float[] up = new float[imageSide * imageSide];
        new Resize(side, imageSide).apply(cam, 0, up, 0);
        return new GradCam(cam, side, up, imageSide);
    }

    private static void backwardFrom(Variable logits, int cls) {
        if (logits.data().rank() != 2 || logits.data().dim(0) != 1 || cls < 0 || cls >= logits.data().dim(1)) {
            throw new IllegalArgumentException("expected logits [1, classes] and a class in range, got "
                    + logits.data().shapeString() + " and class " + cls);
        }
        float[] seed = new float[logits.data().dim(1)];
        seed[cls] = 1f;
        logits.backward(d2l4j.tensor.Backends.current().toDevice(Tensor.of(seed, 1, seed.length)));
    }

    private static void checkImage(Tensor x) {
        if (x.rank() != 4 || x.dim(0) != 1 || x.dim(2) != x.dim(3)) {
            throw new IllegalArgumentException("expected one square image [1, C, H, H], got " + x.shapeString());
        }
    }
}
