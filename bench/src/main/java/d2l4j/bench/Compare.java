package d2l4j.bench;

import d2l4j.kernels.Parallel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Arrays;
import java.util.Locale;

/**
 * The d2l4j half of bench/scripts/compare.py, without JMH: reads one case per line on standard input and
 * prints one line per case, {@code case<TAB>median seconds<TAB>flops<TAB>runs}. Cases:
 * <pre>
 *   peak THREADS                         the FMA loop of {@link Peak} (FLOP/s = flops / seconds)
 *   gemm SHAPE THREADS                   {@link Cases#gemm}
 *   conv SHAPE DIR THREADS BATCHCAP      {@link Cases#conv}
 *   net NAME train|infer THREADS BATCH   {@link Cases#net}
 * </pre>
 * Each case runs until {@code --warmup} seconds (at least 2 runs) have passed, then is timed until
 * {@code --time} seconds (at least 3 runs); the median run is reported. The agreement checks run first.
 */
public final class Compare {
    private Compare() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        double warm = 0.5, time = 1.0;
        for (String a : args) {
            if (a.equals("--cpu")) cpu = true; // the calling thread's CPU time: steadier on a shared machine, 1 thread only
            if (a.startsWith("--warmup=")) warm = Double.parseDouble(a.substring(9));
            else if (a.startsWith("--time=")) time = Double.parseDouble(a.substring(7));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            line = line.strip();
            if (line.isEmpty()) continue;
            String[] f = line.split("\\s+");
            Cases.Workload w = switch (f[0]) {
                case "peak" -> peak(Integer.parseInt(f[1]));
                case "gemm" -> Cases.gemm(f[1], f[2].equals("1") ? "simd1" : "simd2");
                case "conv" -> Cases.conv(f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), "simd");
                case "net" -> Cases.net(f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]));
                default -> throw new IllegalArgumentException("unknown case: " + line);
            };
            w.check();
            double[] t = measure(w, warm, time);
            System.out.printf("%s\t%.6g\t%.6g\t%d%n", line, t[0], w.flops(), (int) t[1]);
            System.out.flush();
        }
    }

    private static boolean cpu;
    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    private static long now() {
        return cpu ? MX.getCurrentThreadCpuTime() : System.nanoTime();
    }

    static double[] measure(Cases.Workload w, double warm, double time) {
        float sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 2 || System.nanoTime() - start < warm * 1e9; i++) sink += w.run();
        double[] runs = new double[16];
        int n = 0;
        start = System.nanoTime();
        while (n < 3 || (System.nanoTime() - start < time * 1e9 && n < 1000)) {
            long t0 = now();
            sink += w.run();
            if (n == runs.length) runs = Arrays.copyOf(runs, 2 * n);
            runs[n++] = (now() - t0) / 1e9;
        }
        if (sink == 12345.678f) System.err.print(""); // keep the results alive
        Arrays.sort(runs, 0, n);
        return new double[] {runs[n / 2], n};
    }

    // the FMA loop on every thread of the pool at once
    private static Cases.Workload peak(int threads) {
        Parallel par = Parallel.of(threads);
        float[] out = new float[threads];
        return new Cases.Workload() {
            public float run() {
                par.run(threads, t -> {
                    float s = 0;
                    for (int i = 0; i < 64; i++) s += Peak.fma(0.999999f, 1e-7f);
                    out[t] = s;
                });
                return out[0];
            }

            public double flops() {
                return 64.0 * threads * Peak.flops();
            }
        };
    }
}
