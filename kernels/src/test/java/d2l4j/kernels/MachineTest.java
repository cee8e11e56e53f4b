package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.kernels.simd.Machine;
import org.junit.jupiter.api.Test;

/** The variant asked for with -Dd2l4j.simd is the one the kernels run (each forced-variant execution checks its own). */
class MachineTest {
    @Test
    void theForcedVariantIsTheOneInUse() {
        String forced = System.getProperty(Machine.PROPERTY, "auto");
        String d = Machine.describe();
        switch (forced) {
            case "avx512" -> assertTrue(d.startsWith("AVX-512 (forced), 512-bit vectors") && d.contains("GEMM tile 12x32"), d);
            case "avx2" -> assertTrue(d.startsWith("AVX2 (forced), 256-bit vectors") && d.contains("16 vector registers: GEMM tile 6x16, implicit convolution tile up to 6x16 (channel tile 6x16)"), d);
            case "neon" -> assertTrue(d.startsWith("NEON (forced), 128-bit vectors") && d.contains("GEMM tile 12x8"), d);
            default -> assertTrue(!d.contains("forced"), d);
        }
        assertTrue(Machine.REGISTERS == 16 || Machine.REGISTERS == 32, d);
    }
}
