package d2l4j.zoo;

import d2l4j.layers.Conv2d;
import d2l4j.layers.Dropout;
import d2l4j.layers.Flatten;
import d2l4j.layers.Init;
import d2l4j.layers.Linear;
import d2l4j.layers.MaxPool2d;
import d2l4j.layers.ReLU;
import d2l4j.layers.Sequential;

/**
 * AlexNet as d2l builds it for Fashion-MNIST (d2l.ai, section 8.1 "Deep Convolutional Neural Networks
 * (AlexNet)"; 7.1 in d2l-en 0.17): one input channel, images resized to 224×224, ten classes.
 *
 * <pre>
 * [N,1,224,224] Conv(96, 11, stride 4, pad 1) ReLU MaxPool(3, 2)  → [N,96,26,26]
 *               Conv(256, 5, pad 2) ReLU MaxPool(3, 2)            → [N,256,12,12]
 *               Conv(384, 3, pad 1) ReLU Conv(384, 3, pad 1) ReLU
 *               Conv(256, 3, pad 1) ReLU MaxPool(3, 2)            → [N,256,5,5]
 *               Flatten Linear(6400, 4096) ReLU Dropout(0.5)
 *               Linear(4096, 4096) ReLU Dropout(0.5) Linear(4096, 10)
 * </pre>
 */
public final class AlexNet {
    private AlexNet() {}

    public static final int[] INPUT = {1, 224, 224};

    public static Sequential create(long seed) {
        Sequential net = new Sequential(
                new Conv2d(1, 96, 11, 4, 1), new ReLU(),
                new MaxPool2d(3, 2),
                new Conv2d(96, 256, 5, 1, 2), new ReLU(),
                new MaxPool2d(3, 2),
                new Conv2d(256, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new MaxPool2d(3, 2),
                new Flatten(),
                new Linear(6400, 4096), new ReLU(), new Dropout(0.5f),
                new Linear(4096, 4096), new ReLU(), new Dropout(0.5f),
                new Linear(4096, 10));
        return Init.d2l(net, seed);
    }
}
