package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Softmax cross-entropy: reference against a double-precision definition (loss relative 1e-6,
 * probabilities relative 1e-5 + absolute 1e-7); simd against reference (probabilities relative
 * 1e-5 + absolute 1e-7, loss relative 1e-6, backward bit for bit given the same prob); stability for
 * logits of ±1000; label checks naming the row.
 */
class SoftmaxCrossEntropyTest {
    static float forward(boolean simd, float[] z, int off, int n, int classes, int[] labels, float[] prob, int probOff) {
        return simd ? new d2l4j.kernels.simd.SoftmaxCrossEntropy().forward(z, off, n, classes, labels, prob, probOff)
                : new d2l4j.kernels.reference.SoftmaxCrossEntropy().forward(z, off, n, classes, labels, prob, probOff);
    }

    static int[] labels(long seed, int n, int classes) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = rnd.nextInt(classes);
        return l;
    }

    @Test
    void matchesDoublePrecisionDefinition() {
        for (int classes : new int[] {1, 3, 10, 17, 33}) {
            int n = 5;
            float[] z = TestData.uniform(classes, n * classes);
            for (int i = 0; i < z.length; i++) z[i] *= 8f;
            int[] lab = labels(classes, n, classes);
            double loss = 0;
            float[] exactProb = new float[z.length];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < classes; j++) sum += Math.exp(z[i * classes + j]);
                for (int j = 0; j < classes; j++) exactProb[i * classes + j] = (float) (Math.exp(z[i * classes + j]) / sum);
                loss += Math.log(sum) - z[i * classes + lab[i]];
            }
            for (boolean simd : new boolean[] {false, true}) {
                float[] prob = new float[z.length];
                float got = forward(simd, z, 0, n, classes, lab, prob, 0);
                assertEquals(loss / n, got, 1e-6 * Math.abs(loss / n) + 1e-7, "loss, classes " + classes + " simd " + simd);
                TestData.assertClose("prob, classes " + classes + " simd " + simd, exactProb, prob, 1e-5, 1e-7);
            }
        }
    }

    @Test
    void simdMatchesReferenceWithOffsets() {
        for (int classes : new int[] {2, 7, 16, 17, 33, 100}) {
            int n = 4;
            float[] z = TestData.uniform(classes + 50, 3 + n * classes);
            int[] lab = labels(classes, n, classes);
            float[] pRef = new float[2 + n * classes], pSimd = new float[2 + n * classes];
            float lRef = forward(false, z, 3, n, classes, lab, pRef, 2);
            float lSimd = forward(true, z, 3, n, classes, lab, pSimd, 2);
            assertEquals(lRef, lSimd, 1e-6 * Math.abs(lRef));
            TestData.assertClose("prob " + classes, pRef, pSimd, 1e-5, 1e-7);
            float[] dRef = new float[1 + n * classes], dSimd = new float[1 + n * classes];
            new d2l4j.kernels.reference.SoftmaxCrossEntropy().backward(pRef, 2, n, classes, lab, 0.7f, dRef, 1);
            new d2l4j.kernels.simd.SoftmaxCrossEntropy().backward(pRef, 2, n, classes, lab, 0.7f, dSimd, 1);
            TestData.assertSameBits("backward " + classes, dRef, dSimd);
            for (int i = 0; i < n; i++) { // each gradient row sums to 0 (prob sums to 1)
                double rowSum = 0;
                for (int j = 0; j < classes; j++) rowSum += dRef[1 + i * classes + j];
                assertEquals(0, rowSum, 1e-6);
            }
        }
    }

    @Test
    void stableForHugeLogits() {
        float[] z = {1000f, -1000f, 0f, -1000f, 1000f, 1000f};
        int[] lab = {0, 0};
        for (boolean simd : new boolean[] {false, true}) {
            float[] prob = new float[6];
            float loss = forward(simd, z, 0, 2, 3, lab, prob, 0);
            // row 0: prob [1, 0, 0], loss 0; row 1: prob [0, 1/2, 1/2], loss log(2) + 2000
            assertEquals((0 + Math.log(2) + 2000) / 2, loss, 1e-3, "simd " + simd);
            TestData.assertClose("prob simd " + simd, new float[] {1, 0, 0, 0, 0.5f, 0.5f}, prob, 1e-6, 1e-30);
            for (float p : prob) assertTrue(Float.isFinite(p));
        }
    }

    @Test
    void labelOutOfRangeNamesRowAndLabel() {
        for (boolean simd : new boolean[] {false, true}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> forward(simd, new float[6], 0, 2, 3, new int[] {1, 3}, new float[6], 0));
            assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("got 3"), e.getMessage());
            CpuKernels k = simd ? CpuKernels.vector() : CpuKernels.reference();
            assertThrows(IllegalArgumentException.class,
                    () -> k.loss().backward(new float[6], 0, 2, 3, new int[] {-1, 0}, 1f, new float[6], 0));
        }
    }
}
