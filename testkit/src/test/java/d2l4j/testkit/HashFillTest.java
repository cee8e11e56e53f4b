package d2l4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.tensor.io.SafeTensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HashFillTest {

    /** The vectors make_reference.py stored: names unit.<seed>, uniform.<seed>.<scale>. */
    @Test
    void matchesThePythonVectorsBitForBit() {
        SafeTensors ref = PyTorchCases.load("hashfill", 0);
        int checked = 0;
        for (String name : ref.entries().keySet()) {
            String[] parts = name.split("\\.", 3);
            float[] got;
            if (parts[0].equals("unit")) {
                got = HashFill.unit(Integer.parseInt(parts[1]), ref.f32(name).length);
            } else if (parts[0].equals("uniform")) {
                float scale = Float.parseFloat(parts[2]);
                got = HashFill.uniform(Integer.parseInt(parts[1]), ref.f32(name).length, scale);
            } else {
                continue;
            }
            assertBitsEqual(ref.f32(name), got, name);
            checked++;
        }
        assertEquals(11, checked);
        long[] bits = ref.i64("bits.123");
        for (int i = 0; i < bits.length; i++) {
            assertEquals(bits[i], Integer.toUnsignedLong(HashFill.bits(123, i)), "bits.123[" + i + "]");
        }
    }

    /** Every HashFill tensor of every case, regenerated from the seed and scale in its metadata. */
    @Test
    void regeneratesTheInputsOfThePyTorchCases() {
        int checked = 0;
        for (String op : new String[] {"conv2d", "linear", "avgpool2d", "maxpool2d", "sigmoid",
                "relu", "flatten", "cross_entropy", "sgd"}) {
            for (var path : PyTorchCases.cases(op)) {
                SafeTensors c = SafeTensors.read(path);
                for (String key : c.metadata().keySet()) {
                    if (!key.startsWith("seed.") || key.equals("seed.labels")) {
                        continue;
                    }
                    String name = key.substring("seed.".length());
                    float[] want = c.f32(name);
                    float[] got = HashFill.uniform(c.metaInt(key), want.length,
                            c.metaFloat("scale." + name));
                    assertBitsEqual(want, got, path.getFileName() + " " + name);
                    checked++;
                }
            }
        }
        assertTrue(checked > 50, "checked " + checked);
    }

    /** The LeNet initialization the reference describes: seed 1000 + i, Xavier/bias bounds. */
    @Test
    void reproducesTheLeNetInitChecksums() {
        SafeTensors lenet = PyTorchCases.load("lenet", 0);
        String[] names = lenet.meta("state_dict").split(",");
        assertEquals(10, names.length);
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            int fanIn = lenet.metaInt("init.fan_in." + name);
            int fanOut = lenet.metaInt("init.fan_out." + name);
            float bound = name.endsWith(".weight")
                    ? (float) Math.sqrt(6.0 / (fanIn + fanOut))
                    : (float) (1.0 / Math.sqrt(fanIn));
            assertEquals(lenet.metaFloat("init.bound." + name), bound, 0f, name);
            assertEquals(1000 + i, lenet.metaInt("init.seed." + name));
            int numel = lenet.f32("grad." + name).length;
            double sum = 0;
            for (float v : HashFill.uniform(1000 + i, numel, bound)) {
                sum += v;
            }
            double want = Double.parseDouble(lenet.meta("init_sum." + name));
            assertEquals(want, sum, 1e-9, name);
            assertEquals((float) want, lenet.f32("init_sum." + name)[0], 0f, name);
        }
    }

    @Test
    void valuesStayInRange() {
        float scale = 0.37f;
        for (float v : HashFill.uniform(9, 10_000, scale)) {
            assertTrue(v >= -scale && v < scale, "out of range: " + v);
        }
        for (float u : HashFill.unit(-3, 10_000)) {
            assertTrue(u >= 0f && u < 1f, "out of range: " + u);
            assertEquals(0.0, Math.scalb((double) u, 24) % 1.0, 0.0, "not a multiple of 2^-24");
        }
        assertEquals(0, HashFill.uniform(1, 0, 1f).length);
        assertTrue(Arrays.equals(HashFill.unit(5, 7), HashFill.unit(5, 7)));
    }

    private static void assertBitsEqual(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + "[" + i + "]: want " + want[i] + ", got " + got[i]);
            }
        }
    }
}
