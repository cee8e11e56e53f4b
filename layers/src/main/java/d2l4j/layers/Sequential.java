package d2l4j.layers;

import d2l4j.autograd.Variable;
import java.util.List;

/** Layers applied one after another; children are named 0, 1, 2, ... as in PyTorch's nn.Sequential. */
public class Sequential extends Layer {
    private final Layer[] layers;

    public Sequential(Layer... layers) {
        this.layers = layers.clone();
        for (int i = 0; i < layers.length; i++) registerLayer(Integer.toString(i), layers[i]);
    }

    @Override
    public Variable forward(Variable x) {
        for (int i = 0; i < layers.length; i++) {
            // a Conv2d followed by a ReLU runs as one op: a device backend applies the ReLU as it stores
            if (layers[i] instanceof Conv2d conv && i + 1 < layers.length && layers[i + 1].getClass() == ReLU.class) {
                x = conv.forward(x, true);
                i++;
            } else {
                x = layers[i].forward(x);
            }
        }
        return x;
    }

    public List<Layer> steps() {
        return List.of(layers);
    }

    public Layer get(int i) {
        return layers[i];
    }

    public int size() {
        return layers.length;
    }
}
