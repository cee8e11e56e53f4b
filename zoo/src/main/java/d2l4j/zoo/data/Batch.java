package d2l4j.zoo.data;

/**
 * One mini-batch: {@code size} images and their labels.
 *
 * <p>{@code images} is laid out N x C x H x W (C = 1, H = W = the loader's
 * {@link DataLoader#imageSide()}, 28 unless resized), values in [0, 1]; image {@code n} starts at
 * {@code n * C * H * W}. {@code labels[n]} is its class, 0-9.
 *
 * <p>Batches from {@link DataLoader#epoch} own arrays of exactly {@code size} images. Batches from
 * {@link DataLoader#epochReusingBuffers} share full-batch arrays, overwritten by the next batch;
 * only the first {@code size} images and labels are valid (the last batch may be shorter).
 */
public record Batch(float[] images, int[] labels, int size) {

    public Batch {
        if (size < 0 || size > labels.length || images.length % Math.max(1, labels.length) != 0) {
            throw new IllegalArgumentException("Batch: size " + size + " with " + labels.length + " labels and "
                    + images.length + " image floats");
        }
    }

    /** Floats per image: C * H * W. */
    public int imageLength() {
        return labels.length == 0 ? 0 : images.length / labels.length;
    }
}
