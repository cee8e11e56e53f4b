package d2l4j.kernels.simd;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector machine the Vector API kernels are shaped for, chosen once per JVM: the vector species every
 * simd kernel uses and the size of the register file, from which the register tiles follow.
 *
 * <pre>
 * variant  vectors   registers  GEMM tile (rows × columns)  implicit-conv tile   channel tile  found on
 * avx512   512-bit   32         12 × 32                     12 × 32 (6 × 32)     12 × 32       Intel Skylake-X and later, AMD Zen 4
 * avx2     256-bit   16          6 × 16                      6 × 16               6 × 16       AMD Zen 2/3, most x86 laptops
 * neon     128-bit   32         12 × 8                      12 × 8  (6 × 8)      12 × 8        aarch64: Apple silicon, Graviton
 * </pre>
 * A tile of MR rows × 2 vectors needs 2·MR accumulators, 2 vectors of B and 1 broadcast: 27 of 32 registers
 * for 12 rows, 15 of 16 for 6 (BLIS's choices for Skylake-X and Haswell/Zen, transposed). Java cannot ask the
 * CPU how many vector registers it has, so they follow from the ISA: x86 with 512-bit vectors has AVX-512's 32,
 * x86 with narrower ones is taken as AVX2's 16 (an AVX-512 CPU run with 256-bit vectors gets the smaller, safe
 * tile), aarch64 has 32. Wider than 512 bits (SVE) runs at 512.
 *
 * <p>Forcing a variant on any machine: the system property {@value #PROPERTY} (or the environment variable
 * D2L4J_SIMD) = avx512, avx2, neon or auto. A variant wider than the CPU's vectors still runs (the Vector API
 * emulates it, slowly), so CI can check every variant against the reference kernels wherever it runs.
 *
 * <p>Results do not depend on the variant: every output element is summed in the same order whatever the
 * vector width and tile (sums across a row run in 16 logical lanes, whatever V; see
 * {@link Elementwise#laneSum}), so a training run gives the same bits on AVX2 and AVX-512.
 */
public final class Machine {
    private Machine() {}

    /** Forces a variant: avx512, avx2, neon, or auto (the default). */
    public static final String PROPERTY = "d2l4j.simd";

    private static final Variant VARIANT = choose();

    /** The species of every simd kernel. */
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(VARIANT.bits));

    /** Vector registers of the register file (16 or 32). */
    public static final int REGISTERS = VARIANT.registers;

    /** The species the kernels use (for benchmarks that must match them). */
    public static VectorSpecies<Float> species() {
        return F;
    }

    /** Whether the variant is wider than this CPU's vectors, so that the Vector API emulates it (correct, slow). */
    public static boolean emulated() {
        return F.vectorBitSize() > FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** The ISA's name as this JVM sees it, e.g. {@code x86-64 AVX-512}, with "(forced)" when a variant was asked for. */
    public static String isa() {
        return VARIANT.isa;
    }

    /** One line for the log: ISA, vector bits, registers and the register tiles of the GEMM and the convolution. */
    public static String describe() {
        int v = F.length();
        String emulated = emulated()
                ? " (wider than this CPU's " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors: emulated, slow)" : "";
        return VARIANT.isa + ", " + F.vectorBitSize() + "-bit vectors (" + v + " floats)" + emulated + ", " + REGISTERS
                + " vector registers: GEMM tile " + Gemm.MR + "x" + Gemm.NR + ", implicit convolution tile up to "
                + (ImplicitConv.WIDE_TILES ? ImplicitConv.MR_WIDE : ImplicitConv.MR) + "x" + ImplicitConv.NR
                + " (channel tile " + ChannelLanes.MP + "x" + ChannelLanes.NR + ")";
    }

    private record Variant(String isa, int bits, int registers) {}

    private static Variant choose() {
        String forced = System.getProperty(PROPERTY, System.getenv().getOrDefault("D2L4J_SIMD", "auto"))
                .trim().toLowerCase(Locale.ROOT);
        return switch (forced) {
            case "auto", "" -> detect();
            case "avx512" -> new Variant("AVX-512 (forced)", 512, 32);
            case "avx2" -> new Variant("AVX2 (forced)", 256, 16);
            case "neon" -> new Variant("NEON (forced)", 128, 32);
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " (or D2L4J_SIMD) expects avx512, avx2, neon or "
                    + "auto, got " + d2l4j.tensor.io.Json.quote(forced));
        };
    }

    private static Variant detect() {
        int bits = Math.min(512, FloatVector.SPECIES_PREFERRED.vectorBitSize());
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return new Variant(bits == 128 ? "aarch64 NEON" : "aarch64 SVE", bits, 32);
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return bits == 512 ? new Variant("x86-64 AVX-512", 512, 32) : new Variant("x86-64 AVX2", bits, 16);
        }
        return new Variant(arch + " (" + bits + "-bit vectors)", bits, bits >= 512 ? 32 : 16);
    }
}
