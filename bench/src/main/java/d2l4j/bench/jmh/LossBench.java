package d2l4j.bench.jmh;

import d2l4j.bench.Cases;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** Softmax-cross-entropy forward and backward on N×10 logits: reference loops against the Vector API. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LossBench {
    @Param({"reference", "simd"})
    public String impl;

    @Param({"128", "256"})
    public int batch;

    private Cases.Workload work;

    @Setup
    public void setup() {
        work = Cases.loss(batch, 10, impl);
        work.check();
    }

    @Benchmark
    public float loss() {
        return work.run();
    }
}
