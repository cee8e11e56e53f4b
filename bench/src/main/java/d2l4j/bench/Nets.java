package d2l4j.bench;

import d2l4j.layers.Layer;
import d2l4j.zoo.AlexNet;
import d2l4j.zoo.GoogLeNet;
import d2l4j.zoo.LeNet;
import d2l4j.zoo.NiN;
import d2l4j.zoo.Vgg;
import java.util.List;
import java.util.function.LongFunction;

/** The five nets of the zoo with d2l's batch size, image side and learning rate (ANCHORS.md). */
public record Nets(String name, int batch, int side, float lr, LongFunction<Layer> factory) {

    public static final List<Nets> ALL = List.of(
            new Nets("lenet", 256, 28, 0.9f, LeNet::create),
            new Nets("alexnet", 128, 224, 0.01f, AlexNet::create),
            new Nets("vgg", 128, 224, 0.05f, Vgg::create),
            new Nets("nin", 128, 224, 0.1f, NiN::create),
            new Nets("googlenet", 128, 96, 0.1f, GoogLeNet::create));

    public static Nets of(String name) {
        for (Nets n : ALL) if (n.name.equals(name)) return n;
        throw new IllegalArgumentException("unknown net '" + name + "', expected one of lenet, alexnet, vgg, nin, googlenet");
    }

    public int[] input() {
        return new int[] {1, side, side};
    }

    public Layer create() {
        return factory.apply(0);
    }
}
