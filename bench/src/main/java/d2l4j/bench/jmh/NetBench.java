package d2l4j.bench.jmh;

import d2l4j.bench.Cases;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * A full training step (forward, loss, backward, SGD) and an inference batch of each net on 1 and 2
 * threads, at d2l's batch size ({@code batch} = 0) or a smaller one (quick mode).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NetBench {
    @Param({"lenet", "alexnet", "vgg", "nin", "googlenet"})
    public String net;

    @Param({"train", "infer"})
    public String mode;

    @Param({"1", "2"})
    public int threads;

    @Param({"0"})
    public int batch;

    private Cases.Workload work;

    @Setup
    public void setup() {
        work = Cases.net(net, mode, threads, batch);
    }

    @Benchmark
    public float step() {
        return work.run();
    }
}
