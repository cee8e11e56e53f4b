package d2l4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import d2l4j.autograd.Variable;
import d2l4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Dropout: identity in eval(); in train() PyTorch's inverted-dropout statistics, reproducible from the seed. */
class DropoutTest {

    private static Tensor ones(int n) {
        return Tensor.full(1f, n);
    }

    @Test
    void evalModeIsTheIdentity() {
        Dropout d = new Dropout(0.5f);
        d.eval();
        Variable x = new Variable(ones(100));
        assertSame(x, d.forward(x));
    }

    @Test
    void trainModeZeroesAboutPAndScalesSurvivors() {
        for (float p : new float[] {0.3f, 0.5f}) {
            Dropout d = new Dropout(p);
            d.seed(11);
            int n = 200_000;
            float[] y = d.forward(new Variable(ones(n))).data().toArray();
            int zeros = 0;
            double sum = 0;
            for (float v : y) {
                if (v == 0f) zeros++;
                else assertEquals(1f / (1f - p), v, 0f);
                sum += v;
            }
            // binomial: standard deviation of the zero fraction is sqrt(p(1-p)/n) ≈ 0.001; allow 5 of them
            assertEquals(p, zeros / (double) n, 0.005, "zero fraction for p = " + p);
            assertEquals(1.0, sum / n, 0.01, "the mean is preserved");
        }
    }

    @Test
    void sameSeedSameMaskAndTheGradientUsesIt() {
        Dropout a = new Dropout(0.5f), b = new Dropout(0.5f);
        a.seed(3);
        b.seed(3);
        Variable x = new Variable(ones(64), true);
        Variable ya = a.forward(x);
        assertArrayEquals(ya.data().toArray(), b.forward(new Variable(ones(64))).data().toArray());
        ya.backward(ones(64));
        assertArrayEquals(ya.data().toArray(), x.grad().toArray()); // dy = 1, so dx is the mask itself
    }

    @Test
    void rejectsBadProbabilities() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1f));
    }
}
