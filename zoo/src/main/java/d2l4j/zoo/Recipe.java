package d2l4j.zoo;

import d2l4j.layers.Layer;
import java.util.function.LongFunction;

/** A net of the zoo with d2l's training recipe for it (ANCHORS.md, d2l's published runs). */
record Recipe(String name, float lr, int batchSize, int epochs, LongFunction<Layer> factory) {

    static Recipe of(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "lenet" -> new Recipe("lenet", 0.9f, 256, 10, LeNet::create);
            default -> throw new Options.UsageException("unknown net '" + name + "' (known: lenet)");
        };
    }

    Layer create(long seed) {
        return factory.apply(seed);
    }
}
