package d2l4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x for float vectors from IEEE additions, multiplications and fused multiply-adds only, so a value
 * does not depend on whether the JIT has compiled the loop yet. (The Vector API's lanewise EXP gives
 * different last bits interpreted, where it calls Math.exp per lane, and compiled, where it calls a
 * SIMD math library; a training run would then change with JIT timing.)
 *
 * <p>Method: e^x = 2^n · e^r with n = round(x·log2 e) and r = x − n·ln 2 ∈ [−ln2/2, ln2/2] (ln 2 split in
 * two parts so that n·ln2_hi is exact); e^r by its degree-6 Taylor polynomial in Horner form (truncation
 * below 2e-7 relative, about 1-2 ulp in all); 2^n built in the exponent bits. x is clamped to
 * [−87, 88] so that 2^n stays a normal float: e^−87 ≈ 1.6e-38 stands in for smaller results.
 * {@link #exp(float)} is the same sequence on one float, for the scalar tails.
 */
public final class Exp {
    private Exp() {}

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f; // 0x3f317200: few mantissa bits, n·LN2_HI exact
    private static final float LN2_LO = 1.42860677e-6f;
    private static final float ROUND = 12582912f; // 1.5·2^23: adding it rounds to an integer (to even)
    private static final float MIN = -87f, MAX = 88f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720;

    public static FloatVector exp(FloatVector x) {
        x = x.max(MIN).min(MAX);
        FloatVector t = x.fma(LOG2E, ROUND);          // ROUND + n, n in the low mantissa bits
        FloatVector n = t.sub(ROUND);
        var s = x.species();
        FloatVector r = n.fma(FloatVector.broadcast(s, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(s, -LN2_LO), r);
        FloatVector one = FloatVector.broadcast(s, 1f);
        FloatVector p = r.fma(C6, C5);
        p = p.fma(r, FloatVector.broadcast(s, C4));
        p = p.fma(r, FloatVector.broadcast(s, C3));
        p = p.fma(r, FloatVector.broadcast(s, C2));
        p = p.fma(r, one);
        p = p.fma(r, one);
        IntVector bits = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    public static float exp(float x) {
        x = Math.min(Math.max(x, MIN), MAX);
        float t = Math.fma(x, LOG2E, ROUND);
        float n = t - ROUND;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, C6, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int bits = (Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND) + 127) << 23;
        return p * Float.intBitsToFloat(bits);
    }
}
