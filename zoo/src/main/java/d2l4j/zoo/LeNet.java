package d2l4j.zoo;

import d2l4j.layers.AvgPool2d;
import d2l4j.layers.Conv2d;
import d2l4j.layers.Flatten;
import d2l4j.layers.Init;
import d2l4j.layers.Linear;
import d2l4j.layers.Sequential;
import d2l4j.layers.Sigmoid;

/**
 * LeNet-5 as d2l builds it (d2l.ai, section 7.6 "Convolutional Neural Networks (LeNet)"; 6.6 in d2l-en 0.17):
 * two sigmoid convolution blocks with average pooling, then three sigmoid fully connected layers,
 * on 1×28×28 Fashion-MNIST images.
 *
 * <pre>
 * [N,1,28,28] Conv2d(1,6,5,pad 2) Sigmoid  → [N,6,28,28]  AvgPool2d(2,2) → [N,6,14,14]
 *             Conv2d(6,16,5)      Sigmoid  → [N,16,10,10] AvgPool2d(2,2) → [N,16,5,5]
 *             Flatten → [N,400] Linear(400,120) Sigmoid Linear(120,84) Sigmoid Linear(84,10) → [N,10]
 * </pre>
 * Parameter names match PyTorch's state_dict of d2l's nn.Sequential: 0.weight, 0.bias, 3.weight, ...
 */
public final class LeNet {
    private LeNet() {}

    public static final int[] INPUT = {1, 28, 28};

    /** The network with d2l's initialization (Xavier uniform weights, PyTorch's default biases) from {@code seed}. */
    public static Sequential create(long seed) {
        Sequential net = new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new Sigmoid(),
                new AvgPool2d(2, 2),
                new Conv2d(6, 16, 5, 1, 0), new Sigmoid(),
                new AvgPool2d(2, 2),
                new Flatten(),
                new Linear(16 * 5 * 5, 120), new Sigmoid(),
                new Linear(120, 84), new Sigmoid(),
                new Linear(84, 10));
        return Init.d2l(net, seed);
    }
}
