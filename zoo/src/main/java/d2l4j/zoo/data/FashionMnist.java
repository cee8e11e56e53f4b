package d2l4j.zoo.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The Fashion-MNIST data set (Xiao, Rasul and Vollgraf 2017), as d2l section 4.2 "The Image
 * Classification Dataset" uses it: 60000 training and 10000 test images of 28x28 grey pixels, each
 * with a label 0-9.
 *
 * <p>Pixels are kept as the file stores them, unsigned bytes, image after image, row after row:
 * pixel (r, c) of image i is {@code pixels()[i * 784 + r * 28 + c] & 0xff}. Scaling to [0, 1] is
 * the {@link DataLoader}'s job, so the whole training set costs 47 MB, not 188.
 *
 * <p>Files: {@code train-images-idx3-ubyte.gz} (magic 2051, dims N, 28, 28),
 * {@code train-labels-idx1-ubyte.gz} (magic 2049, dim N), and the same with prefix {@code t10k}
 * for the test set.
 */
public final class FashionMnist {

    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int PIXELS = ROWS * COLS;
    public static final int CLASSES = 10;

    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    /** Class names, index = label, as d2l's {@code get_fashion_mnist_labels}. */
    public static final String[] TEXT_LABELS = {
        "t-shirt", "trouser", "pullover", "dress", "coat",
        "sandal", "shirt", "sneaker", "bag", "ankle boot"
    };

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    /** The four files a data folder must hold. */
    public static final List<String> FILE_NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private final byte[] pixels;
    private final byte[] labels;

    /**
     * Wraps arrays already in memory (not copied).
     *
     * @param pixels N*784 unsigned bytes, image-major then row-major
     * @param labels N labels, each 0-9
     */
    public FashionMnist(byte[] pixels, byte[] labels) {
        if (pixels.length != (long) labels.length * PIXELS) {
            throw new IllegalArgumentException("FashionMnist: expected " + labels.length + " images of 28x28 = "
                    + (long) labels.length * PIXELS + " pixels for " + labels.length + " labels, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException("FashionMnist: label " + (labels[i] & 0xff) + " at index " + i
                        + " is outside 0-9");
            }
        }
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Reads the training set ({@code train=true}) or the test set from {@code folder}.
     *
     * @throws DataException when a file is missing, not gzip, truncated or holds unexpected values;
     *                       the message names the file, the offset in the uncompressed stream and
     *                       what was expected versus found
     */
    public static FashionMnist load(Path folder, boolean train) {
        Path labelFile = folder.resolve(train ? TRAIN_LABELS : TEST_LABELS);
        Path imageFile = folder.resolve(train ? TRAIN_IMAGES : TEST_IMAGES);
        byte[] labels = readLabels(labelFile);
        byte[] pixels = readImages(imageFile, labels.length, labelFile.getFileName().toString());
        return new FashionMnist(pixels, labels);
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** All pixels, N*784 unsigned bytes (the array itself, not a copy: do not modify). */
    public byte[] pixels() {
        return pixels;
    }

    /** All labels, N values 0-9 (the array itself, not a copy: do not modify). */
    public byte[] labels() {
        return labels;
    }

    /** Label of image {@code i}, 0-9. */
    public int label(int i) {
        return labels[i];
    }

    /** Class name of a label, e.g. {@code textLabel(9)} is "ankle boot". */
    public static String textLabel(int label) {
        return TEXT_LABELS[label];
    }

    private static byte[] readLabels(Path file) {
        try (IdxReader r = IdxReader.open(file)) {
            String name = r.name();
            int magic = r.readInt("magic number", -1);
            if (magic != LABELS_MAGIC) {
                throw new DataException(name + ": wrong magic number at byte offset 0: expected " + LABELS_MAGIC
                        + " (IDX labels: unsigned bytes, 1 dimension), found " + magic + magicHint(magic));
            }
            int n = r.readInt("label count", -1);
            if (n < 0) {
                throw new DataException(name + ": label count at byte offset 4 is negative: " + n);
            }
            long total = LABELS_HEADER + (long) n;
            byte[] labels = r.readBytes(n, "labels", total);
            for (int i = 0; i < n; i++) {
                if (labels[i] < 0 || labels[i] >= CLASSES) {
                    throw new DataException(name + ": label " + (labels[i] & 0xff) + " at index " + i
                            + " (byte offset " + (LABELS_HEADER + i) + ") is outside 0-9");
                }
            }
            r.expectEnd();
            return labels;
        }
    }

    private static byte[] readImages(Path file, int expectedCount, String labelName) {
        try (IdxReader r = IdxReader.open(file)) {
            String name = r.name();
            int magic = r.readInt("magic number", -1);
            if (magic != IMAGES_MAGIC) {
                throw new DataException(name + ": wrong magic number at byte offset 0: expected " + IMAGES_MAGIC
                        + " (IDX images: unsigned bytes, 3 dimensions), found " + magic + magicHint(magic));
            }
            int n = r.readInt("image count", -1);
            if (n != expectedCount) {
                throw new DataException(name + ": image count at byte offset 4: expected " + expectedCount
                        + " (the number of labels in " + labelName + "), found " + n);
            }
            int rows = r.readInt("row count", -1);
            if (rows != ROWS) {
                throw new DataException(name + ": row count at byte offset 8: expected " + ROWS + ", found " + rows);
            }
            int cols = r.readInt("column count", -1);
            if (cols != COLS) {
                throw new DataException(name + ": column count at byte offset 12: expected " + COLS + ", found " + cols);
            }
            long total = IMAGES_HEADER + (long) n * PIXELS;
            if ((long) n * PIXELS > Integer.MAX_VALUE - 8) {
                throw new DataException(name + ": image count at byte offset 4: " + n + " images of 28x28 are more"
                        + " than one Java array holds (" + (Integer.MAX_VALUE - 8) / PIXELS + " at most)");
            }
            byte[] pixels = r.readBytes(n * PIXELS, "pixels", total);
            r.expectEnd();
            return pixels;
        }
    }

    private static String magicHint(int magic) {
        if (magic == LABELS_MAGIC) return " (a labels file)";
        if (magic == IMAGES_MAGIC) return " (an images file)";
        return String.format(" (0x%08x)", magic);
    }
}
