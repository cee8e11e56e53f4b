package d2l4j.zoo;

import d2l4j.layers.AdaptiveAvgPool2d;
import d2l4j.layers.Conv2d;
import d2l4j.layers.Dropout;
import d2l4j.layers.Flatten;
import d2l4j.layers.Init;
import d2l4j.layers.MaxPool2d;
import d2l4j.layers.ReLU;
import d2l4j.layers.Sequential;
import d2l4j.tensor.Window2d;

/**
 * Network in Network as d2l builds it (d2l.ai, section 8.3 "Network in Network (NiN)"; 7.3 in d2l-en 0.17):
 * blocks of one ordinary convolution followed by two 1×1 convolutions (per-pixel fully connected layers),
 * and no fully connected layer at the end: the last block has 10 channels, averaged globally.
 */
public final class NiN {
    private NiN() {}

    public static final int[] INPUT = {1, 224, 224};

    /** Conv(k×k) ReLU Conv(1×1) ReLU Conv(1×1) ReLU. */
    public static Sequential ninBlock(int inChannels, int outChannels, int kernel, int stride, int padding) {
        return new Sequential(
                new Conv2d(inChannels, outChannels, kernel, stride, padding), new ReLU(),
                new Conv2d(outChannels, outChannels, Window2d.square(1, 1, 0), true), new ReLU(),
                new Conv2d(outChannels, outChannels, Window2d.square(1, 1, 0), true), new ReLU());
    }

    public static Sequential create(long seed) {
        Sequential net = new Sequential(
                ninBlock(1, 96, 11, 4, 0),
                new MaxPool2d(3, 2),
                ninBlock(96, 256, 5, 1, 2),
                new MaxPool2d(3, 2),
                ninBlock(256, 384, 3, 1, 1),
                new MaxPool2d(3, 2),
                new Dropout(0.5f),
                ninBlock(384, 10, 3, 1, 1),
                new AdaptiveAvgPool2d(1, 1),
                new Flatten());
        return Init.d2l(net, seed);
    }
}
