package d2l4j.bench.jmh;

import d2l4j.bench.Cases;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Every distinct convolution of the five nets ("N,C,H,W,K,R,S,stride,pad", see {@link d2l4j.bench.Shapes}),
 * forward, gradient of the input (bwdData) and of the weight and bias (bwdWeight), on 1 and 2 threads.
 * {@code batch} > 0 caps N (quick mode). {@code @Setup} checks one image against the reference kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBench {
    @Param({"128_96_26_26_256_5_5_1_2"})
    public String shape;

    @Param({"fwd", "bwdData", "bwdWeight"})
    public String dir;

    @Param({"1", "2"})
    public int threads;

    @Param({"0"})
    public int batch;

    private Cases.Workload work;

    @Setup
    public void setup() {
        work = Cases.conv(shape, dir, threads, batch, "simd");
        work.check();
    }

    @Benchmark
    public float conv() {
        return work.run();
    }
}
