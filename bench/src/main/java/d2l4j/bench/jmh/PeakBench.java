package d2l4j.bench.jmh;

import d2l4j.bench.Peak;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The machine's FP32 limit as the Vector API reaches it ({@link Peak}), as FLOP/s (throughput mode, one
 * operation = one flop) on 1 and 2 threads; bench/scripts/jmh.py divides the other suites' GFLOPS by it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PeakBench {
    /** Flops of one call: the same whatever the vector width and register file ({@link Peak#FLOPS}). */
    private static final int FLOPS = Peak.FLOPS;

    public float m = 0.999999f, a = 1e-7f;

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(FLOPS)
    public float fma1() {
        return Peak.fma(m, a);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(FLOPS)
    public float fma2() {
        return Peak.fma(m, a);
    }
}
