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
        for (Layer l : layers) x = l.forward(x);
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
