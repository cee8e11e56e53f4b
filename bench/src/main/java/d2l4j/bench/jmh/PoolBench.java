package d2l4j.bench.jmh;

import d2l4j.bench.Cases;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** The nets' pooling layers ("max|avg,N,C,H,W,R,stride,pad"), forward and backward, 1 and 2 threads. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PoolBench {
    @Param({"max_128_96_54_54_3_2_0"})
    public String shape;

    @Param({"fwd", "bwd"})
    public String dir;

    @Param({"1", "2"})
    public int threads;

    @Param({"0"})
    public int batch;

    private Cases.Workload work;

    @Setup
    public void setup() {
        work = Cases.pool(shape, dir, threads, batch, "simd");
        work.check();
    }

    @Benchmark
    public float pool() {
        return work.run();
    }
}
