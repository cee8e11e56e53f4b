package d2l4j.zoo;

import d2l4j.layers.AdaptiveAvgPool2d;
import d2l4j.layers.Conv2d;
import d2l4j.layers.Flatten;
import d2l4j.layers.Init;
import d2l4j.layers.Linear;
import d2l4j.layers.MaxPool2d;
import d2l4j.layers.ReLU;
import d2l4j.layers.Sequential;
import d2l4j.tensor.Window2d;

/**
 * GoogLeNet as d2l builds it (d2l.ai, section 8.4 "Multi-Branch Networks (GoogLeNet)"; 7.4 in d2l-en 0.17):
 * five stages b1-b5, nine {@link Inception} blocks, global average pooling, one fully connected layer;
 * trained on 96×96 images.
 *
 * <pre>
 * b1 [N,1,96,96]   Conv(64, 7, stride 2, pad 3) ReLU MaxPool(3, 2, pad 1)            → [N,64,24,24]
 * b2               Conv(64, 1) ReLU Conv(192, 3, pad 1) ReLU MaxPool(3, 2, pad 1)     → [N,192,12,12]
 * b3               Inception×2 MaxPool(3, 2, pad 1)                                   → [N,480,6,6]
 * b4               Inception×5 MaxPool(3, 2, pad 1)                                   → [N,832,3,3]
 * b5               Inception×2 AdaptiveAvgPool(1, 1) Flatten                          → [N,1024]
 *                  Linear(1024, 10)
 * </pre>
 */
public final class GoogLeNet {
    private GoogLeNet() {}

    public static final int[] INPUT = {1, 96, 96};

    public static Sequential create(long seed) {
        Sequential b1 = new Sequential(new Conv2d(1, 64, 7, 2, 3), new ReLU(), new MaxPool2d(3, 2, 1));
        Sequential b2 = new Sequential(new Conv2d(64, 64, Window2d.square(1, 1, 0), true), new ReLU(),
                new Conv2d(64, 192, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2, 1));
        Sequential b3 = new Sequential(
                new Inception(192, 64, new int[] {96, 128}, new int[] {16, 32}, 32),
                new Inception(256, 128, new int[] {128, 192}, new int[] {32, 96}, 64),
                new MaxPool2d(3, 2, 1));
        Sequential b4 = new Sequential(
                new Inception(480, 192, new int[] {96, 208}, new int[] {16, 48}, 64),
                new Inception(512, 160, new int[] {112, 224}, new int[] {24, 64}, 64),
                new Inception(512, 128, new int[] {128, 256}, new int[] {24, 64}, 64),
                new Inception(512, 112, new int[] {144, 288}, new int[] {32, 64}, 64),
                new Inception(528, 256, new int[] {160, 320}, new int[] {32, 128}, 128),
                new MaxPool2d(3, 2, 1));
        Sequential b5 = new Sequential(
                new Inception(832, 256, new int[] {160, 320}, new int[] {32, 128}, 128),
                new Inception(832, 384, new int[] {192, 384}, new int[] {48, 128}, 128),
                new AdaptiveAvgPool2d(1, 1), new Flatten());
        return Init.d2l(new Sequential(b1, b2, b3, b4, b5, new Linear(1024, 10)), seed);
    }
}
