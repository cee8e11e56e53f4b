package d2l4j.kernels;

import d2l4j.tensor.ConvGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several caller threads run convolutions (forward and both backward passes, im2col, 1×1 and implicit paths,
 * batches that split over the pool's threads) at once on ONE Convolution and ONE 2-thread pool, as an
 * inference server would: each must get exactly the bits a serial run gives.
 */
class ConcurrentConvolutionTest {
    private static final int CALLERS = 4, ROUNDS = 6;

    private static float[][] runAll(Convolution conv, int[] t) {
        int n = t[0], c = t[1], h = t[2], w = t[3], k = t[4], r = t[5], s = t[6], st = t[7], pad = t[8];
        int p = d2l4j.tensor.Window2d.outSize(h, r, st, pad), q = d2l4j.tensor.Window2d.outSize(w, s, st, pad);
        float[] x = TestData.uniform(1 + t[4], n * c * h * w), wt = TestData.uniform(2 + t[1], k * c * r * s);
        float[] b = TestData.uniform(3, k), dy = TestData.uniform(4 + t[2], n * k * p * q);
        float[] y = new float[n * k * p * q], dx = new float[n * c * h * w], dw = new float[k * c * r * s], db = new float[k];
        conv.forward(new ConvGeometry(n, c, h, w, k, r, s, st, st, pad, pad), x, wt, b, y);
        conv.backwardData(new ConvGeometry(n, c, h, w, k, r, s, st, st, pad, pad), dy, wt, dx);
        conv.backwardWeight(new ConvGeometry(n, c, h, w, k, r, s, st, st, pad, pad), x, dy, dw, db);
        return new float[][] {y, dx, dw, db};
    }

    @Test
    void concurrentCallersGetTheSerialBits() throws Exception {
        // {n, c, h, w, k, r, s, stride, pad}: im2col, strided, 1×1, implicit (LeNet-like), batch of one
        int[][] cases = {{4, 3, 13, 11, 8, 3, 3, 1, 1}, {3, 5, 17, 17, 6, 5, 5, 2, 2}, {4, 16, 9, 9, 12, 1, 1, 1, 0},
                         {6, 1, 28, 28, 6, 5, 5, 1, 2}, {1, 8, 12, 12, 16, 3, 3, 1, 1}};
        for (CpuKernels kernels : List.of(CpuKernels.reference(), CpuKernels.best())) {
            Convolution conv = new Convolution(kernels, Parallel.of(2));
            List<float[][]> serial = new ArrayList<>();
            for (int[] t : cases) serial.add(runAll(conv, t));
            ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
            try {
                CyclicBarrier start = new CyclicBarrier(CALLERS);
                List<Future<?>> done = new ArrayList<>();
                for (int caller = 0; caller < CALLERS; caller++) {
                    int first = caller;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int round = 0; round < ROUNDS; round++) {
                            int i = (first + round) % cases.length; // callers on different shapes at once
                            float[][] got = runAll(conv, cases[i]);
                            for (int o = 0; o < got.length; o++) {
                                TestData.assertSameBits(kernels.name() + " case " + i + " output " + o, serial.get(i)[o], got[o]);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
