package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.layers.StateDict;
import d2l4j.zoo.LeNet;
import d2l4j.zoo.Training;
import d2l4j.zoo.data.DataFolder;
import d2l4j.zoo.data.DataLoader;
import d2l4j.zoo.data.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library from its installed artifacts: a quick LeNet trained (2 epochs on 6000 images: not yet good, which is
 * not the point), saved, loaded back by Embed and asked about a test image; the line has the three classes and
 * the answer is the Classifier's.
 */
class EmbedTest {
    @TempDir
    Path dir;

    @Test
    void classifiesATestImage() throws Exception {
        FashionMnist train = FashionMnist.load(DataFolder.resolve(null), true), test = FashionMnist.load(DataFolder.resolve(null), false);
        var net = LeNet.create(0);
        Training.train(net, new DataLoader(train, 256, true, 0, 6000), new DataLoader(test, 256, false, 0, 500), 2, 0.9f,
                new PrintStream(OutputStream.nullOutputStream()));
        Path weights = dir.resolve("lenet.safetensors");
        StateDict.save(net, weights);
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 784; i++) img.getRaster().setSample(i % 28, i / 28, 0, test.pixels()[i] & 0xff); // test image 0
        Path png = dir.resolve("test0.png");
        ImageIO.write(img, "png", png.toFile());
        String line = Embed.classify(weights, png);
        System.out.println(line);
        assertTrue(line.matches("test0\\.png:(  [a-z -]+ \\d\\.\\d{3}){3}"), line);
        var direct = d2l4j.zoo.infer.Classifier.load("lenet", weights).classify(d2l4j.zoo.infer.Images.read(png, 1 << 20));
        assertEquals(direct.topLabel(), line.split("  ")[1].replaceAll(" \\d\\.\\d{3}$", ""), "the same answer as the Classifier");
    }
}
