package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import d2l4j.tensor.Resize;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.testkit.PyTorchCases;
import org.junit.jupiter.api.Test;

/**
 * Our bilinear resize against PyTorch's F.interpolate(mode="bilinear", align_corners=False) (what
 * torchvision's Resize does on tensors when upsampling), on two real images: 28→96 in full and 28→224 by
 * its sum and 4096 sampled pixels. PyTorch's kernel rounds in its own order, so last-bit differences are
 * expected: tolerance 1e-6 per pixel (pixels are in [0, 1]).
 */
class ResizeReferenceTest {

    private static float[] resize(SafeTensors f, int size) {
        float[] x = f.f32("x");
        int n = f.shape("x")[0];
        Resize r = new Resize(28, size);
        float[] y = new float[n * size * size];
        for (int i = 0; i < n; i++) r.apply(x, i * 784, y, i * size * size);
        return y;
    }

    @Test
    void to96MatchesPyTorchEverywhere() {
        SafeTensors f = PyTorchCases.load("resize", 1);
        float[] expected = f.f32("y"), ours = resize(f, 96);
        assertEquals(expected.length, ours.length);
        for (int i = 0; i < ours.length; i++) assertEquals(expected[i], ours[i], 1e-6f, "pixel " + i);
    }

    @Test
    void to224MatchesPyTorchSumAndSamples() {
        SafeTensors f = PyTorchCases.load("resize", 0);
        float[] ours = resize(f, 224);
        long[] idx = f.i64("y_idx");
        float[] sample = f.f32("y_sample");
        for (int j = 0; j < idx.length; j++) assertEquals(sample[j], ours[(int) idx[j]], 1e-6f, "pixel " + idx[j]);
        double sum = 0;
        for (float v : ours) sum += v;
        assertEquals(Double.parseDouble(f.meta("y_sum")), sum, 1e-6 * ours.length);
    }
}
