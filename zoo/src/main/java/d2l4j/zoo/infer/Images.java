package d2l4j.zoo.infer;

import d2l4j.tensor.io.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reading pictures from untrusted files and request bodies: the size a file claims is checked before a pixel is
 * decoded (a 1.5 MB PNG can claim 40000×40000 pixels, 6.4 GB once decoded), and every failure names its source
 * and its cause. And the usual practice for a picture that is not square: crop the long side around the centre.
 */
public final class Images {
    private Images() {}

    /** Largest picture decoded by default: 4096 × 4096 pixels (64 MB as ARGB). */
    public static final long MAX_PIXELS = 4096L * 4096;

    /** A picture file (PNG, JPEG, GIF, BMP) of at most {@code maxPixels} pixels. */
    public static BufferedImage read(Path file, long maxPixels) {
        String source = Json.quote(file.toString());
        if (Files.isDirectory(file)) throw new IllegalArgumentException(source + ": is a directory, not an image file");
        if (!Files.exists(file)) throw new IllegalArgumentException(source + ": no such file");
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(source + ": not a regular file (a pipe or device?)");
        if (!Files.isReadable(file)) throw new IllegalArgumentException(source + ": not readable (permissions)");
        try {
            return decode(Files.readAllBytes(file), source, maxPixels);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** A picture held in memory (a request's body); {@code source} names it in errors. */
    public static BufferedImage decode(byte[] data, String source, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException(source + ": not an image this JVM can read (PNG, JPEG, GIF, BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w < 1 || h < 1 || w * h > maxPixels) {
                    throw new IllegalArgumentException(source + ": " + w + "x" + h + " pixels, more than the " + maxPixels
                            + " this reads (" + (long) Math.sqrt(maxPixels) + "x" + (long) Math.sqrt(maxPixels) + "): scale it down first");
                }
                BufferedImage img = reader.read(0);
                if (img == null) throw new IllegalArgumentException(source + ": the image decoder returned nothing");
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith(source)) throw iae;
            if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
                throw new IllegalArgumentException(source + ": a CMYK or YCCK JPEG, which the JDK's decoder does not read: "
                        + "convert it to RGB or gray first");
            }
            throw new IllegalArgumentException(source + ": corrupt or truncated image (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Json.quote(e.getMessage())) + ")");
        }
    }

    /** The largest centred square of a picture: the long side cropped equally on both ends (the image itself if square). */
    public static BufferedImage centreCrop(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        if (w == h) return image;
        int s = Math.min(w, h);
        return image.getSubimage((w - s) / 2, (h - s) / 2, s, s);
    }
}
