package d2l4j.bench.jmh;

import d2l4j.bench.Cases;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The GEMM ladder: reference loops, the Vector API kernel on 1 thread, then on 2, over square sizes and
 * the zoo's shapes ("M,N,K,tA,tB", see {@link d2l4j.bench.Shapes}). bench/scripts/jmh.py passes the shape
 * list and turns times into GFLOPS and percent of the peak measured by {@link PeakBench} in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBench {
    @Param({"reference", "simd1", "simd2"})
    public String impl;

    @Param({"256_256_256_0_0", "512_512_512_0_0", "1024_1024_1024_0_0", "2048_2048_2048_0_0"})
    public String shape;

    private Cases.Workload work;

    @Setup
    public void setup() {
        work = Cases.gemm(shape, impl);
        work.check();
    }

    @Benchmark
    public float gemm() {
        return work.run();
    }
}
