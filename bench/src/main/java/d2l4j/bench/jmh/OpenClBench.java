package d2l4j.bench.jmh;

import d2l4j.bench.Shapes;
import d2l4j.kernels.CpuBackend;
import d2l4j.kernels.CpuKernels;
import d2l4j.opencl.OpenClBackend;
import d2l4j.tensor.Shape;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;
import d2l4j.testkit.HashFill;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The OpenCL variants of the GEMM and convolution benchmarks, on device 0: operands live on the device,
 * each invocation enqueues the kernels and waits for them ({@link OpenClBackend#finish()}). {@code @Setup}
 * checks the device result against the CPU reference kernels. Run with D2L4J_JMH_OPENCL=1
 * bench/scripts/jmh.sh ..., or java -jar bench/target/benchmarks.jar OpenClBench.
 * GEMM shapes "M_N_K_tA_tB"; conv shapes "N_C_H_W_K_R_S_stride_pad" (as {@link Shapes} writes them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OpenClBench {
    @Param({"1024_1024_1024_0_0", "2048_2048_2048_0_0"})
    public String shape;

    @Param({"8_1_224_224_96_11_11_4_1"})
    public String conv;

    private OpenClBackend cl;
    private Tensor a, b, c, x, w, bias, dy;
    private boolean ta, tb;
    private Window2d win;

    @Setup
    public void setup() {
        cl = OpenClBackend.open(0);
        int[] v = Shapes.parse(shape);
        ta = v[3] != 0;
        tb = v[4] != 0;
        Tensor ha = rand(1, ta ? new int[] {v[2], v[0]} : new int[] {v[0], v[2]});
        Tensor hb = rand(2, tb ? new int[] {v[1], v[2]} : new int[] {v[2], v[1]});
        a = cl.toDevice(ha);
        b = cl.toDevice(hb);
        c = cl.toDevice(Tensor.zeros(v[0], v[1]));
        int[] k = Shapes.parse(conv);
        win = Window2d.square(k[5], k[7], k[8]);
        Tensor hx = rand(3, k[0], k[1], k[2], k[3]), hw = rand(4, k[4], k[1], k[5], k[6]), hbias = rand(5, k[4]);
        x = cl.toDevice(hx);
        w = cl.toDevice(hw);
        bias = cl.toDevice(hbias);
        dy = cl.toDevice(rand(6, k[0], k[4], win.outH(k[2]), win.outW(k[3])));
        // the device must agree with the CPU reference kernels before anything is timed
        CpuBackend ref = new CpuBackend(CpuKernels.reference(), 2);
        Tensor want = ref.matmul(ha, ta, hb, tb);
        cl.gemm(ta, tb, a, b, 0f, c);
        agree("gemm " + shape, want.toArray(), c.toArray());
        agree("conv " + conv, ref.conv2d(hx, hw, hbias, win).toArray(), cl.conv2d(x, w, bias, win).toArray());
    }

    private static Tensor rand(int seed, int... shape) {
        return Tensor.of(HashFill.uniform(seed, Shape.numel(shape), 1f), shape);
    }

    private static void agree(String what, float[] want, float[] got) {
        double max = 1e-30, err = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        if (!(err <= 1e-4 * max)) throw new AssertionError(what + ": OpenCL disagrees with the CPU, max error " + err + " of " + max);
    }

    @Benchmark
    public Tensor gemm() {
        cl.gemm(ta, tb, a, b, 0f, c);
        cl.finish();
        return c;
    }

    @Benchmark
    public Tensor convForward() {
        Tensor y = cl.conv2d(x, w, bias, win);
        cl.finish();
        return y;
    }

    @Benchmark
    public Tensor convBackwardData() {
        Tensor dx = cl.conv2dBackwardData(dy, w, x.shape(), win);
        cl.finish();
        return dx;
    }

    @Benchmark
    public Tensor[] convBackwardWeight() {
        Tensor[] g = cl.conv2dBackwardWeight(x, dy, w.shape(), true, win);
        cl.finish();
        return g;
    }
}
