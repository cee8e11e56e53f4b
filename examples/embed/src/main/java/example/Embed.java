package example;

import d2l4j.zoo.infer.Classifier;
import d2l4j.zoo.infer.Images;
import d2l4j.zoo.infer.Prediction;
import java.nio.file.Path;

/**
 * d2l4j in a program of its own: load a LeNet once, classify a picture, print the three likeliest classes.
 * {@code java -cp ... example.Embed lenet.safetensors shirt.png}
 */
public final class Embed {
    private Embed() {}

    /** The top three classes of {@code image} under the LeNet weights in {@code weights}, one line. */
    public static String classify(Path weights, Path image) {
        Classifier c = Classifier.load("lenet", weights); // ours or PyTorch's state_dict, as safetensors
        Prediction p = c.classify(Images.read(image, Images.MAX_PIXELS)); // any size: centre-cropped, gray, resized
        StringBuilder line = new StringBuilder(image.getFileName().toString()).append(':');
        for (Prediction.Scored s : p.top(3)) line.append(String.format(java.util.Locale.ROOT, "  %s %.3f", s.label(), s.probability()));
        return line.toString();
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: Embed WEIGHTS.safetensors IMAGE");
            System.exit(2);
        }
        System.out.println(classify(Path.of(args[0]), Path.of(args[1])));
    }
}
