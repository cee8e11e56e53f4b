package d2l4j.zoo;

import d2l4j.layers.Layer;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A net of the zoo with d2l's training recipe for it (10 epochs; lr, batch size and image size as in
 * d2l's chapter "Modern CNNs", see ANCHORS.md). Public for {@link d2l4j.zoo.infer.Classifier} and embedders:
 * {@code Recipe.of("lenet").create(seed)} builds a net whose parameter names are PyTorch's state_dict keys.
 */
public record Recipe(String name, float lr, int batchSize, int epochs, int imageSide, LongFunction<Layer> factory) {

    public static final List<String> NAMES = List.of("lenet", "alexnet", "vgg", "vgg11", "nin", "googlenet");

    /** The recipe of a net by name (case-insensitive); an unknown name throws IllegalArgumentException listing the known. */
    public static Recipe of(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "lenet" -> new Recipe("lenet", 0.9f, 256, 10, 28, LeNet::create);
            case "alexnet" -> new Recipe("alexnet", 0.01f, 128, 10, 224, AlexNet::create);
            case "vgg" -> new Recipe("vgg", 0.05f, 128, 10, 224, Vgg::create);
            case "vgg11" -> new Recipe("vgg11", 0.05f, 128, 10, 224, seed -> Vgg.create(Vgg.CONV_ARCH, seed));
            case "nin" -> new Recipe("nin", 0.1f, 128, 10, 224, NiN::create);
            case "googlenet" -> new Recipe("googlenet", 0.1f, 128, 10, 96, GoogLeNet::create);
            default -> throw new Options.UsageException("unknown net '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    public Layer create(long seed) {
        return factory.apply(seed);
    }
}
