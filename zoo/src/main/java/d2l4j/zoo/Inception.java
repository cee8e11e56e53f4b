package d2l4j.zoo;

import d2l4j.autograd.Functional;
import d2l4j.autograd.Variable;
import d2l4j.layers.Conv2d;
import d2l4j.layers.Layer;
import d2l4j.layers.MaxPool2d;
import d2l4j.tensor.Window2d;

/**
 * The Inception block (d2l.ai, section 8.4.1): four parallel paths over the same input, joined along
 * channels. Path 1: 1×1 conv; path 2: 1×1 conv then 3×3 conv; path 3: 1×1 conv then 5×5 conv; path 4:
 * 3×3 max pooling (stride 1, pad 1) then 1×1 conv. Every path keeps the spatial size, so the output has
 * c1 + c2[1] + c3[1] + c4 channels. Attribute names follow d2l's PyTorch class (p1_1, p2_1, ...).
 */
public class Inception extends Layer {
    private final Conv2d p1_1, p2_1, p2_2, p3_1, p3_2, p4_2;
    private final MaxPool2d p4_1;
    private final int inChannels;
    private final int[] outChannels;

    public Inception(int inChannels, int c1, int[] c2, int[] c3, int c4) {
        this.inChannels = inChannels;
        this.outChannels = new int[] {c1, c2[1], c3[1], c4};
        Window2d one = Window2d.square(1, 1, 0);
        p1_1 = registerLayer("p1_1", new Conv2d(inChannels, c1, one, true));
        p2_1 = registerLayer("p2_1", new Conv2d(inChannels, c2[0], one, true));
        p2_2 = registerLayer("p2_2", new Conv2d(c2[0], c2[1], 3, 1, 1));
        p3_1 = registerLayer("p3_1", new Conv2d(inChannels, c3[0], one, true));
        p3_2 = registerLayer("p3_2", new Conv2d(c3[0], c3[1], 5, 1, 2));
        p4_1 = registerLayer("p4_1", new MaxPool2d(3, 1, 1));
        p4_2 = registerLayer("p4_2", new Conv2d(inChannels, c4, one, true));
    }

    /** The four paths in the order their channels are concatenated: name, what it computes, output channels. */
    public java.util.List<Branch> branches() {
        return java.util.List.of(new Branch("p1", "p1_1 1x1 conv", outChannels[0]),
                new Branch("p2", "p2_1 1x1 conv, p2_2 3x3 conv", outChannels[1]),
                new Branch("p3", "p3_1 1x1 conv, p3_2 5x5 conv", outChannels[2]),
                new Branch("p4", "p4_1 3x3 max pool, p4_2 1x1 conv", outChannels[3]));
    }

    /** One path of the block: its name (p1..p4), its layers (attribute names, as in d2l's class), its output channels. */
    public record Branch(String name, String layers, int channels) {}

    @Override
    public Variable forward(Variable x) {
        expect(x.shape().length == 4 && x.shape()[1] == inChannels, "input [N, " + inChannels + ", H, W]", x);
        Variable p1 = Functional.relu(p1_1.forward(x));
        Variable p2 = Functional.relu(p2_2.forward(Functional.relu(p2_1.forward(x))));
        Variable p3 = Functional.relu(p3_2.forward(Functional.relu(p3_1.forward(x))));
        Variable p4 = Functional.relu(p4_2.forward(p4_1.forward(x)));
        return Functional.cat(1, p1, p2, p3, p4);
    }
}
