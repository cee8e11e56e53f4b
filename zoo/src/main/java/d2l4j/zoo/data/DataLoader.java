package d2l4j.zoo.data;

import d2l4j.tensor.Resize;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches over a {@link FashionMnist}, as PyTorch's {@code DataLoader} with
 * {@code drop_last=False} and torchvision's {@code ToTensor()} (pixel / 255, shape N x 1 x 28 x 28),
 * which is what d2l's {@code load_data_fashion_mnist} builds.
 *
 * <p>Order: with {@code shuffle}, epoch {@code e} visits the images in a Fisher-Yates permutation
 * drawn from {@code new SplittableRandom(seed * 1000003 + e)}, so it is a function of
 * {@code (seed, e)} only: reproducible, and independent of how many batches earlier epochs used.
 * Without {@code shuffle}, every epoch goes 0, 1, 2, ...
 *
 * <p>Every batch has {@code batchSize} images except the last, which holds the remainder.
 *
 * <p>Resizing: {@link #resized(int)} gives a loader whose {@link #writeImage} passes each image through
 * a bilinear {@link Resize} (28 to 224 for AlexNet, VGG and NiN, 96 for GoogLeNet) as the batch is built,
 * and {@link #imageSide()} reports the new side.
 */
public final class DataLoader {

    /** Pixel byte to float, index = unsigned pixel: exactly {@code p / 255f}, as ToTensor. */
    private static final float[] SCALE = new float[256];

    static {
        for (int p = 0; p < 256; p++) SCALE[p] = p / 255f;
    }

    private final FashionMnist data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final int limit;
    private final int side;
    private final Resize resize; // null: images stay 28×28

    /** The data set the batches come from. */
    public FashionMnist dataset() {
        return data;
    }

    /** Batches over all images of {@code data}. */
    public DataLoader(FashionMnist data, int batchSize, boolean shuffle, long seed) {
        this(data, batchSize, shuffle, seed, data.size());
    }

    /**
     * Batches over the first {@code limit} images of {@code data} only (for quick runs); with
     * {@code shuffle} they are shuffled among themselves.
     */
    public DataLoader(FashionMnist data, int batchSize, boolean shuffle, long seed, int limit) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
        }
        if (limit < 0 || limit > data.size()) {
            throw new IllegalArgumentException("DataLoader: limit must be within 0-" + data.size()
                    + " (the data set's size), got " + limit);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.limit = limit;
        this.side = FashionMnist.ROWS;
        this.resize = null;
    }

    private DataLoader(DataLoader base, int side) {
        this.data = base.data;
        this.batchSize = base.batchSize;
        this.shuffle = base.shuffle;
        this.seed = base.seed;
        this.limit = base.limit;
        this.side = side;
        this.resize = side == FashionMnist.ROWS ? null : new Resize(FashionMnist.ROWS, side);
    }

    /**
     * The same batches with images resized bilinearly to side × side (d2l's Resize: 224 for AlexNet, VGG
     * and NiN, 96 for GoogLeNet), done here, image by image, while a batch is assembled.
     */
    public DataLoader resized(int side) {
        if (side < 1) throw new IllegalArgumentException("DataLoader: image side must be positive, got " + side);
        return new DataLoader(this, side);
    }

    /** Images per epoch: the limit, or the data set's size. */
    public int size() {
        return limit;
    }

    public int batchSize() {
        return batchSize;
    }

    /** ceil(size / batchSize): the last, partial batch counts. */
    public int batchesPerEpoch() {
        return (limit + batchSize - 1) / batchSize;
    }

    /** Height and width of the images in a batch. */
    public int imageSide() {
        return side;
    }

    /** Floats per image in a batch: 1 x side x side. */
    public int imageLength() {
        return side * side;
    }

    /** The order in which epoch {@code e} visits the image indices 0 .. size()-1 (a new array). */
    public int[] order(int epoch) {
        int[] order = new int[limit];
        for (int i = 0; i < limit; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(seed * 1000003L + epoch);
            for (int i = limit - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The batches of epoch {@code e}, each with its own arrays (safe to keep). */
    public Iterable<Batch> epoch(int e) {
        return () -> new BatchIterator(order(e), false);
    }

    /**
     * The batches of epoch {@code e}, all sharing one pair of full-size arrays per iteration:
     * no allocation per batch, but a batch is only valid until the next one is fetched.
     */
    public Iterable<Batch> epochReusingBuffers(int e) {
        return () -> new BatchIterator(order(e), true);
    }

    /**
     * The batches of epoch {@code e} as the dataset's raw bytes (28×28 per image, not scaled or resized) with
     * their labels, in the same order as {@link #epoch}: what the training loop hands to
     * {@code Backend.images}, so that a device receives one byte a pixel and resizes there. Each batch owns
     * its arrays.
     */
    public Iterable<PixelBatch> pixelEpoch(int e) {
        int[] order = order(e);
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public PixelBatch next() {
                if (!hasNext()) throw new NoSuchElementException("epoch has " + batchesPerEpoch() + " batches");
                int n = Math.min(batchSize, order.length - next);
                byte[] pixels = new byte[n * FashionMnist.PIXELS], all = data.pixels(), allLabels = data.labels();
                int[] labels = new int[n];
                for (int b = 0; b < n; b++) {
                    int index = order[next + b];
                    System.arraycopy(all, index * FashionMnist.PIXELS, pixels, b * FashionMnist.PIXELS, FashionMnist.PIXELS);
                    labels[b] = allLabels[index];
                }
                next += n;
                return new PixelBatch(pixels, labels, n);
            }
        };
    }

    /** A batch of raw images: {@code size} images of 28×28 unsigned bytes, row-major, and their labels. */
    public record PixelBatch(byte[] pixels, int[] labels, int size) {}

    /** Writes image {@code index} as floats in [0, 1] to {@code dst[offset ..]}. */
    private void writeImage(int index, float[] dst, int offset) {
        byte[] pixels = data.pixels();
        int src = index * FashionMnist.PIXELS;
        float[] target = dst;
        int at = offset;
        if (resize != null) {
            target = SCRATCH.get();
            at = 0;
        }
        for (int k = 0; k < FashionMnist.PIXELS; k++) {
            target[at + k] = SCALE[pixels[src + k] & 0xff];
        }
        if (resize != null) resize.apply(target, 0, dst, offset);
    }

    /** One 28×28 float image per thread, the input of a resize. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[FashionMnist.PIXELS]);

    private final class BatchIterator implements Iterator<Batch> {
        private final int[] order;
        private final float[] sharedImages;
        private final int[] sharedLabels;
        private int next;

        BatchIterator(int[] order, boolean reuse) {
            this.order = order;
            int full = Math.min(batchSize, limit);
            this.sharedImages = reuse ? new float[full * imageLength()] : null;
            this.sharedLabels = reuse ? new int[full] : null;
        }

        @Override
        public boolean hasNext() {
            return next < order.length;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("epoch has " + batchesPerEpoch() + " batches");
            int n = Math.min(batchSize, order.length - next);
            float[] images = sharedImages != null ? sharedImages : new float[n * imageLength()];
            int[] labels = sharedLabels != null ? sharedLabels : new int[n];
            byte[] allLabels = data.labels();
            for (int b = 0; b < n; b++) {
                int index = order[next + b];
                writeImage(index, images, b * imageLength());
                labels[b] = allLabels[index];
            }
            next += n;
            return new Batch(images, labels, n);
        }
    }
}
