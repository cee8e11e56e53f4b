package d2l4j.layers;

import d2l4j.autograd.NoGrad;
import d2l4j.tensor.Backends;
import java.util.List;

/** Plain minibatch SGD, as d2l's torch.optim.SGD(net.parameters(), lr): w ← w − lr·∇w. */
public class Sgd {
    private final List<Parameter> params;
    private float lr;

    public Sgd(List<Parameter> params, float lr) {
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Applies the update to every parameter that received a gradient. */
    public void step() {
        try (var g = NoGrad.open()) {
            var backend = Backends.current();
            for (Parameter p : params) {
                if (p.grad() != null) backend.sgdUpdate(p.data(), p.grad(), lr);
            }
        }
    }

    public void zeroGrad() {
        for (Parameter p : params) p.zeroGrad();
    }

    public float lr() { return lr; }
    public void setLr(float lr) { this.lr = lr; }
}
