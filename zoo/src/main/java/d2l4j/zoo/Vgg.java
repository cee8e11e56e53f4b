package d2l4j.zoo;

import d2l4j.layers.Conv2d;
import d2l4j.layers.Dropout;
import d2l4j.layers.Flatten;
import d2l4j.layers.Init;
import d2l4j.layers.Layer;
import d2l4j.layers.Linear;
import d2l4j.layers.MaxPool2d;
import d2l4j.layers.ReLU;
import d2l4j.layers.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * VGG as d2l builds it (d2l.ai, section 8.2 "Networks Using Blocks (VGG)"; 7.2 in d2l-en 0.17): a list of
 * (number of 3×3 convolutions, channels) blocks, each ending in 2×2 max pooling, then three fully
 * connected layers. d2l trains {@link #SMALL_CONV_ARCH} (VGG-11 with a quarter of the channels).
 */
public final class Vgg {
    private Vgg() {}

    public static final int[] INPUT = {1, 224, 224};

    /** VGG-11: five blocks, eight convolutions. */
    public static final int[][] CONV_ARCH = {{1, 64}, {1, 128}, {2, 256}, {2, 512}, {2, 512}};

    /** d2l's small_conv_arch: CONV_ARCH with channels divided by 4. */
    public static final int[][] SMALL_CONV_ARCH = divide(CONV_ARCH, 4);

    /** numConvs × (Conv2d 3×3 pad 1, ReLU), then MaxPool2d(2, 2): halves the resolution. */
    public static Sequential vggBlock(int numConvs, int inChannels, int outChannels) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < numConvs; i++) {
            layers.add(new Conv2d(inChannels, outChannels, 3, 1, 1));
            layers.add(new ReLU());
            inChannels = outChannels;
        }
        layers.add(new MaxPool2d(2, 2));
        return new Sequential(layers.toArray(Layer[]::new));
    }

    /** The network for an architecture list; 224×224 inputs leave 7×7 maps after five blocks. */
    public static Sequential create(int[][] convArch, long seed) {
        List<Layer> layers = new ArrayList<>();
        int in = 1;
        for (int[] block : convArch) {
            layers.add(vggBlock(block[0], in, block[1]));
            in = block[1];
        }
        layers.add(new Flatten());
        layers.add(new Linear(in * 7 * 7, 4096));
        layers.add(new ReLU());
        layers.add(new Dropout(0.5f));
        layers.add(new Linear(4096, 4096));
        layers.add(new ReLU());
        layers.add(new Dropout(0.5f));
        layers.add(new Linear(4096, 10));
        return Init.d2l(new Sequential(layers.toArray(Layer[]::new)), seed);
    }

    public static Sequential create(long seed) {
        return create(SMALL_CONV_ARCH, seed);
    }

    private static int[][] divide(int[][] arch, int ratio) {
        int[][] out = new int[arch.length][];
        for (int i = 0; i < arch.length; i++) out[i] = new int[] {arch[i][0], arch[i][1] / ratio};
        return out;
    }
}
