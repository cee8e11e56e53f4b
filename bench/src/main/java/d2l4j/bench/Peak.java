package d2l4j.bench;

import d2l4j.kernels.simd.Machine;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FP32 limit as the Vector API reaches it: independent FMA chains held in registers, no memory traffic, in the
 * species and register file the kernels use ({@link Machine}). Enough chains to cover the FMA latency on both pipes
 * (latency 4-5 × 2 pipes: at least 10), few enough that chains + the two operands fit the register file: 16 chains
 * (18 live vectors) with 32 registers, 10 (12 live) with AVX2's 16, where 16 chains would spill and measure the
 * spills. {@link d2l4j.bench.jmh.PeakBench} and {@link Compare} divide by it to give percent of peak.
 */
public final class Peak {
    private Peak() {}

    private static final VectorSpecies<Float> F = Machine.species();
    public static final int CHAINS = Machine.REGISTERS >= 32 ? 16 : 10;
    /** Flops of one {@link #fma} call, the same for every vector width and chain count: 2^19 · 5, a multiple of 2 × chains × lanes for 10 or 16 chains of 4, 8 or 16 lanes. */
    public static final int FLOPS = 2_621_440;
    /** FMA steps per chain: FLOPS = 2 × CHAINS × lanes × STEPS. */
    public static final int STEPS = FLOPS / (2 * CHAINS * F.length());

    /** Flops of one {@link #fma} call. */
    public static long flops() {
        return FLOPS;
    }

    public static float fma(float m, float a) {
        return CHAINS == 16 ? fma16(m, a) : fma10(m, a);
    }

    private static float fma16(float m, float a) {
        FloatVector mv = FloatVector.broadcast(F, m), av = FloatVector.broadcast(F, a);
        FloatVector c0 = FloatVector.broadcast(F, 0f), c1 = FloatVector.broadcast(F, 1f), c2 = FloatVector.broadcast(F, 2f),
                c3 = FloatVector.broadcast(F, 3f), c4 = FloatVector.broadcast(F, 4f), c5 = FloatVector.broadcast(F, 5f),
                c6 = FloatVector.broadcast(F, 6f), c7 = FloatVector.broadcast(F, 7f), c8 = FloatVector.broadcast(F, 8f),
                c9 = FloatVector.broadcast(F, 9f), c10 = FloatVector.broadcast(F, 10f), c11 = FloatVector.broadcast(F, 11f),
                c12 = FloatVector.broadcast(F, 12f), c13 = FloatVector.broadcast(F, 13f), c14 = FloatVector.broadcast(F, 14f),
                c15 = FloatVector.broadcast(F, 15f);
        for (int i = 0; i < STEPS; i++) {
            c0 = c0.fma(mv, av); c1 = c1.fma(mv, av); c2 = c2.fma(mv, av); c3 = c3.fma(mv, av);
            c4 = c4.fma(mv, av); c5 = c5.fma(mv, av); c6 = c6.fma(mv, av); c7 = c7.fma(mv, av);
            c8 = c8.fma(mv, av); c9 = c9.fma(mv, av); c10 = c10.fma(mv, av); c11 = c11.fma(mv, av);
            c12 = c12.fma(mv, av); c13 = c13.fma(mv, av); c14 = c14.fma(mv, av); c15 = c15.fma(mv, av);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).reduceLanes(VectorOperators.ADD);
    }

    private static float fma10(float m, float a) {
        FloatVector mv = FloatVector.broadcast(F, m), av = FloatVector.broadcast(F, a);
        FloatVector c0 = FloatVector.broadcast(F, 0f), c1 = FloatVector.broadcast(F, 1f), c2 = FloatVector.broadcast(F, 2f),
                c3 = FloatVector.broadcast(F, 3f), c4 = FloatVector.broadcast(F, 4f), c5 = FloatVector.broadcast(F, 5f),
                c6 = FloatVector.broadcast(F, 6f), c7 = FloatVector.broadcast(F, 7f), c8 = FloatVector.broadcast(F, 8f),
                c9 = FloatVector.broadcast(F, 9f);
        for (int i = 0; i < STEPS; i++) {
            c0 = c0.fma(mv, av); c1 = c1.fma(mv, av); c2 = c2.fma(mv, av); c3 = c3.fma(mv, av); c4 = c4.fma(mv, av);
            c5 = c5.fma(mv, av); c6 = c6.fma(mv, av); c7 = c7.fma(mv, av); c8 = c8.fma(mv, av); c9 = c9.fma(mv, av);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).reduceLanes(VectorOperators.ADD);
    }
}
