package d2l4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Views, broadcasting and reductions on the tensor module's own strided loops (the kernels module, which
 * depends on this one, is not on this module's class path; {@link LoopsOnlyBackend} stands in).
 */
class TensorTest {

    @BeforeAll
    static void loopsOnly() {
        Backends.use(new LoopsOnlyBackend());
    }

    private static Tensor range(int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = i;
        return Tensor.of(d, shape);
    }

    @Test
    void transposeIsAViewAndContiguousCopies() {
        Tensor a = range(2, 3);
        Tensor t = a.transpose(0, 1);
        assertSame(a.data(), t.data());
        assertFalse(t.isContiguous());
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertEquals(a.get(1, 2), t.get(2, 1));
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.toArray());
        assertTrue(t.contiguous().isContiguous());
    }

    @Test
    void sliceMovesTheOffset() {
        Tensor a = range(4, 3);
        Tensor s = a.slice(0, 1, 3);
        assertEquals(3, s.offset());
        assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, s.toArray());
        Tensor col = a.slice(1, 2, 3);
        assertArrayEquals(new float[] {2, 5, 8, 11}, col.toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> a.slice(0, 2, 5));
    }

    @Test
    void reshapeInfersMinusOneAndCopiesNonContiguous() {
        Tensor a = range(2, 3, 4);
        assertArrayEquals(new int[] {6, 4}, a.reshape(-1, 4).shape());
        assertSame(a.data(), a.reshape(24).data());
        Tensor t = a.transpose(1, 2).reshape(2, 12);
        assertEquals(a.get(0, 1, 0), t.get(0, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> a.reshape(5, -1));
        assertTrue(e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    @Test
    void broadcastingFollowsNumpyRules() {
        Tensor a = range(2, 3);
        Tensor row = Tensor.of(new float[] {10, 20, 30}, 3);
        Tensor col = Tensor.of(new float[] {100, 200}, 2, 1);
        assertArrayEquals(new float[] {10, 21, 32, 13, 24, 35}, a.add(row).toArray());
        assertArrayEquals(new float[] {100, 101, 102, 203, 204, 205}, a.add(col).toArray());
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10}, a.mul(2f).toArray());
        assertArrayEquals(new int[] {2, 3}, col.add(row).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> a.add(range(2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void broadcastWorksOnTransposedViews() {
        Tensor t = range(3, 2).transpose(0, 1); // [[0,2,4],[1,3,5]]
        assertArrayEquals(new float[] {0, 3, 6, 1, 4, 7}, t.add(range(3)).toArray());
    }

    @Test
    void reductions() {
        Tensor a = Tensor.of(new float[] {1, 5, 3, 7, 2, 7}, 2, 3);
        assertEquals(25f, a.sum().item());
        assertArrayEquals(new float[] {8, 7, 10}, a.sum(0, false).toArray());
        assertArrayEquals(new int[] {2, 1}, a.sum(1, true).shape());
        assertArrayEquals(new float[] {3, 16f / 3}, a.mean(1, false).toArray(), 1e-6f);
        assertArrayEquals(new float[] {5, 7}, a.max(1, false).toArray());
        // the first maximum wins, as PyTorch's argmax on CPU
        assertArrayEquals(new float[] {1, 0}, a.argmax(1).toArray());
        assertArrayEquals(new float[] {9, 16}, a.sum(-1, false).toArray());
    }

    @Test
    void sumToUndoesBroadcast() {
        Tensor g = Tensor.full(1f, 4, 2, 3);
        assertArrayEquals(new float[] {8, 8, 8}, g.sumTo(new int[] {1, 3}).toArray());
        assertArrayEquals(new float[] {12, 12}, g.sumTo(new int[] {2, 1}).toArray());
    }

    @Test
    void unaryOpsMatchTheirDefinitions() {
        Tensor x = Tensor.of(new float[] {-2, 0, 3}, 3);
        assertArrayEquals(new float[] {0, 0, 3}, x.relu().toArray());
        assertArrayEquals(new float[] {2, -0f, -3}, x.neg().toArray());
        assertEquals((float) (1 / (1 + Math.exp(2))), x.sigmoid().get(0), 0f);
    }

    @Test
    void badShapesAndIndicesSayWhatWasExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> range(2, 2).get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> range(2, 2).transpose(0, 2));
    }
}
