package d2l4j.zoo;

import d2l4j.layers.Layer;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A net of the zoo with d2l's training recipe for it (10 epochs; lr, batch size and image size as in
 * d2l's chapter "Modern CNNs", see ANCHORS.md): the one table of the nets, used by the command line, the
 * inference API and the benchmarks. {@code Recipe.of("lenet").create(seed)} builds a net whose parameter
 * names are PyTorch's state_dict keys.
 */
public record Recipe(String name, float lr, int batchSize, int epochs, int imageSide, LongFunction<Layer> factory) {

    /** The chapter's five nets, in the book's order. */
    public static final List<Recipe> ZOO = List.of(
            new Recipe("lenet", 0.9f, 256, 10, 28, LeNet::create),
            new Recipe("alexnet", 0.01f, 128, 10, 224, AlexNet::create),
            new Recipe("vgg", 0.05f, 128, 10, 224, Vgg::create),
            new Recipe("nin", 0.1f, 128, 10, 224, NiN::create),
            new Recipe("googlenet", 0.1f, 128, 10, 96, GoogLeNet::create));

    /** VGG-11 (d2l's conv_arch without the ratio-4 narrowing), trained as vgg. */
    private static final Recipe VGG11 = new Recipe("vgg11", 0.05f, 128, 10, 224, seed -> Vgg.create(Vgg.CONV_ARCH, seed));

    public static final List<String> NAMES = List.of("lenet", "alexnet", "vgg", "vgg11", "nin", "googlenet");

    /** The recipe of a net by name (case-insensitive); an unknown name throws IllegalArgumentException listing the known. */
    public static Recipe of(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.equals(VGG11.name)) return VGG11;
        for (Recipe r : ZOO) if (r.name.equals(n)) return r;
        throw new IllegalArgumentException("unknown net " + d2l4j.tensor.io.Json.quote(name) + " (known: "
                + String.join(", ", NAMES) + ")");
    }

    public Layer create(long seed) {
        return factory.apply(seed);
    }

    /** One image's shape as the net takes it: [1, side, side]. */
    public int[] input() {
        return new int[] {1, imageSide, imageSide};
    }
}
