package d2l4j.kernels;

import java.util.Random;

/**
 * Not a test: a quick GFLOPS printout for the simd gemm (run by hand, see the javadoc of main).
 * Speed is measured properly in the bench module (JMH); this is a smoke check while tuning.
 */
public final class GemmBench {
    private GemmBench() {}

    /**
     * {@code java --add-modules jdk.incubator.vector -cp kernels/target/classes:kernels/target/test-classes
     * d2l4j.kernels.GemmBench [sizes...]}: best time of the runs in ~3 s per point, 1 and 2 threads.
     */
    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {512, 1024} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int size : sizes) {
            for (int threads : new int[] {1, 2}) {
                System.out.printf("simd gemm %d^3, %d thread(s): %.1f GFLOPS%n", size, threads, gflops(size, threads));
            }
        }
    }

    static double gflops(int size, int threads) {
        Random rnd = new Random(1);
        float[] a = new float[size * size], b = new float[size * size], c = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            b[i] = rnd.nextFloat() - 0.5f;
        }
        Parallel par = Parallel.of(threads);
        double best = Double.MAX_VALUE;
        long deadline = System.nanoTime() + 3_000_000_000L; // ~3 s per point: JIT warm-up, then best of the rest
        for (int rep = 0; rep < 10 || System.nanoTime() < deadline; rep++) {
            long t0 = System.nanoTime();
            new d2l4j.kernels.simd.Gemm().gemm(par, false, false, size, size, size, a, 0, size, b, 0, size, 0f, c, 0, size);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return 2.0 * size * size * size / best * 1e-9;
    }
}
