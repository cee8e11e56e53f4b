package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Activations: reference against the definitions in double (sigmoid within 2 ulp-ish: relative
 * 1e-6 + absolute 1e-7); simd against reference: sigmoid forward relative 1e-6 + absolute 1e-7
 * (vector EXP vs Math.exp), everything else bit for bit; in-place use; vector tails and offsets.
 */
class ActivationsTest {
    static final int[] LENGTHS = {1, 3, 7, 16, 17, 33, 100};

    static float[] wide(long seed, int len) { // values in [−20, 20) plus the extremes
        float[] x = TestData.uniform(seed, len);
        for (int i = 0; i < len; i++) x[i] *= 20f;
        x[0] = len > 1 ? -1000f : 1000f;
        return x;
    }

    @Test
    void referenceSigmoidMatchesDefinition() {
        float[] x = wide(1, 100), y = new float[100];
        new d2l4j.kernels.reference.Activations().sigmoidForward(x, 0, y, 0, 100);
        float[] exact = new float[100];
        for (int i = 0; i < 100; i++) exact[i] = (float) (1 / (1 + Math.exp(-(double) x[i])));
        TestData.assertClose("sigmoid", exact, y, 1e-6, 1e-7);
    }

    @Test
    void simdMatchesReference() {
        long seed = 5;
        for (int len : LENGTHS) {
            int off = len % 3;
            float[] x = wide(seed++, off + len), dy = TestData.uniform(seed++, off + len + 1);
            x[off] = 0f; // relu' at 0 is 0
            float[] ref = new float[off + len], simd = new float[off + len];

            new d2l4j.kernels.reference.Activations().sigmoidForward(x, off, ref, off, len);
            new d2l4j.kernels.simd.Activations().sigmoidForward(x, off, simd, off, len);
            TestData.assertClose("sigmoid forward len " + len, ref, simd, 1e-6, 1e-7);
            for (float v : simd) assertTrue(v >= 0f && v <= 1f, "sigmoid in [0, 1]");

            float[] y = ref.clone();
            new d2l4j.kernels.reference.Activations().sigmoidBackward(y, off, dy, off + 1, ref, off, len);
            new d2l4j.kernels.simd.Activations().sigmoidBackward(y, off, dy, off + 1, simd, off, len);
            TestData.assertSameBits("sigmoid backward len " + len, ref, simd);

            new d2l4j.kernels.reference.Activations().reluForward(x, off, ref, off, len);
            new d2l4j.kernels.simd.Activations().reluForward(x, off, simd, off, len);
            TestData.assertSameBits("relu forward len " + len, ref, simd);

            new d2l4j.kernels.reference.Activations().reluBackward(x, off, dy, off + 1, ref, off, len);
            new d2l4j.kernels.simd.Activations().reluBackward(x, off, dy, off + 1, simd, off, len);
            TestData.assertSameBits("relu backward len " + len, ref, simd);
        }
    }

    @Test
    void inPlaceEqualsOutOfPlace() {
        for (boolean simd : new boolean[] {false, true}) {
            CpuKernels k = simd ? CpuKernels.vector() : CpuKernels.reference();
            float[] x = wide(9, 37), out = new float[37], inPlace = x.clone();
            k.activations().sigmoidForward(x, 0, out, 0, 37);
            k.activations().sigmoidForward(inPlace, 0, inPlace, 0, 37);
            TestData.assertSameBits("sigmoid in place, " + k.name(), out, inPlace);
            inPlace = x.clone();
            k.activations().reluForward(x, 0, out, 0, 37);
            k.activations().reluForward(inPlace, 0, inPlace, 0, 37);
            TestData.assertSameBits("relu in place, " + k.name(), out, inPlace);
            float[] dy = TestData.uniform(10, 37), dyInPlace = dy.clone();
            k.activations().reluBackward(x, 0, dy, 0, out, 0, 37);
            k.activations().reluBackward(x, 0, dyInPlace, 0, dyInPlace, 0, 37);
            TestData.assertSameBits("relu backward in place, " + k.name(), out, dyInPlace);
        }
    }
}
