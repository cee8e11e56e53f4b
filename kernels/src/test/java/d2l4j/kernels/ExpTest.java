package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import d2l4j.kernels.simd.Exp;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector exp: close to Math.exp, and the same in vector lanes as in its scalar twin (bit for bit). */
class ExpTest {

    @Test
    void agreesWithMathExpAndItsScalarTwin() {
        var species = FloatVector.SPECIES_PREFERRED;
        float[] x = new float[species.length()];
        float[] y = new float[x.length];
        for (float start = -90f; start < 90f; start += 0.37f * x.length) {
            for (int l = 0; l < x.length; l++) x[l] = start + 0.37f * l;
            Exp.exp(FloatVector.fromArray(species, x, 0)).intoArray(y, 0);
            for (int l = 0; l < x.length; l++) {
                assertEquals(Float.floatToIntBits(Exp.exp(x[l])), Float.floatToIntBits(y[l]), "lane vs scalar at " + x[l]);
                double exact = Math.exp(Math.min(Math.max(x[l], -87f), 88f));
                assertEquals(exact, y[l], 4e-7 * exact, "exp(" + x[l] + ")");
            }
        }
        assertEquals(1f, Exp.exp(0f), 0f);
    }
}
