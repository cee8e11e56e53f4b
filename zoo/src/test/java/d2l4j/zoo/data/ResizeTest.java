package d2l4j.zoo.data;

import d2l4j.tensor.Resize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Bilinear resize basics; agreement with PyTorch's F.interpolate is in ResizeReferenceTest. */
class ResizeTest {

    @Test
    void constantImageStaysConstantAndIdentityKeepsPixels() {
        float[] src = new float[28 * 28];
        java.util.Arrays.fill(src, 0.25f);
        float[] dst = new float[96 * 96];
        new Resize(28, 96).apply(src, 0, dst, 0);
        for (float v : dst) assertEquals(0.25f, v, 1e-7f);
        for (int i = 0; i < src.length; i++) src[i] = i;
        float[] same = new float[28 * 28];
        new Resize(28, 28).apply(src, 0, same, 0);
        for (int i = 0; i < src.length; i++) assertEquals(src[i], same[i], 0f);
    }

    @Test
    void upsamplingByTwoUsesHalfPixelCentres() {
        // in = [0, 1] (one row repeated): out[0] clamps to 0, out[1] = 0.25, out[2] = 0.75, out[3] = 1
        float[] src = {0, 1, 0, 1};
        float[] dst = new float[16];
        new Resize(2, 4).apply(src, 0, dst, 0);
        assertEquals(0f, dst[0], 0f);
        assertEquals(0.25f, dst[1], 1e-7f);
        assertEquals(0.75f, dst[2], 1e-7f);
        assertEquals(1f, dst[3], 0f);
    }
}
