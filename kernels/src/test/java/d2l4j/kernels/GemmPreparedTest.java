package d2l4j.kernels;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A prepared (packed once) op(A) gives exactly the bits of the plain gemm, for both transposes of A and B,
 * shapes with edge panels and several k blocks, on 1, 2 and 3 threads, with beta 0 and 1.
 */
class GemmPreparedTest {
    @Test
    void preparedAGivesThePlainBits() {
        int[][] shapes = {{1, 1, 1}, {7, 33, 5}, {8, 32, 384}, {17, 70, 777}, {96, 100, 385}, {130, 9, 1000}, {200, 260, 64}};
        for (CpuKernels kern : List.of(CpuKernels.reference(), CpuKernels.best())) {
            for (int[] sh : shapes) {
                int m = sh[0], n = sh[1], k = sh[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    float[] a = TestData.uniform(m * 31L + k, m * k), b = TestData.uniform(n * 17L + k, k * n);
                    int lda = ta ? m : k, ldb = tb ? k : n;
                    GemmKernels.PreparedA pre = kern.gemm().prepareA(ta, m, k, a, 0, lda);
                    for (int threads : new int[] {1, 2, 3}) {
                        for (float beta : new float[] {0f, 1f}) {
                            float[] c0 = TestData.uniform(5, m * n), c1 = c0.clone();
                            kern.gemm().gemm(Parallel.of(threads), ta, tb, m, n, k, a, 0, lda, b, 0, ldb, beta, c0, 0, n);
                            kern.gemm().gemm(Parallel.of(threads), pre, tb, n, b, 0, ldb, beta, c1, 0, n);
                            TestData.assertSameBits(kern.name() + " " + m + "x" + n + "x" + k + " t" + t + " threads " + threads
                                    + " beta " + beta, c0, c1);
                        }
                    }
                }
            }
        }
    }
}
