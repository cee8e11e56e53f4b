package d2l4j.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated safetensors files (bit flips, truncations, edits of the header's numbers, names,
 * dtypes and length field): each must read, or throw SafeTensorsException naming the file; never an
 * ArrayIndexOutOfBounds, NegativeArraySize, OutOfMemoryError or any other exception. Seeded.
 */
class SafeTensorsFuzzTest {
    static final int CASES = 4000;
    @TempDir
    Path dir;

    private byte[] original() throws IOException {
        Path f = dir.resolve("original.safetensors");
        SafeTensors.builder()
                .meta("epoch", "3").meta("note", "fuzz")
                .f32("0.weight", new int[] {2, 3, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
                .f32("0.bias", new int[] {2}, new float[] {-1, 1})
                .i64("labels", new int[] {3}, new long[] {0, 9, 4})
                .i32("idx", new int[] {2, 2}, new int[] {1, 2, 3, 4})
                .f32("scalar", new int[] {}, new float[] {42})
                .write(f);
        return Files.readAllBytes(f);
    }

    private static final String[] TOKENS = {"0", "1", "-1", "7", "4294967296", "9223372036854775807",
        "18446744073709551615", "99999999999999999999", "2147483647", "1e3", "null", "\"F32\"", "\"I64\"", "\"BF16\"",
        "[]", "[1,2,3]", "{}", "\"\"", "\"__metadata__\"", "[0,0]", "[[[[[[[[", "\"data_offsets\"", "\"shape\""};

    private static byte[] mutate(byte[] src, SplittableRandom rnd) {
        int headerEnd = 8 + (int) ByteBuffer.wrap(src, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        switch (rnd.nextInt(6)) {
            case 0 -> { // bit flips, mostly in the header
                byte[] b = src.clone();
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    int at = rnd.nextInt(4) > 0 ? rnd.nextInt(headerEnd) : rnd.nextInt(b.length);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            }
            case 1 -> { // truncation
                return Arrays.copyOf(src, rnd.nextInt(src.length));
            }
            case 2 -> { // a new header length field
                byte[] b = src.clone();
                long n = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> headerEnd - 8 + rnd.nextInt(-16, 17);
                    case 2 -> rnd.nextInt(src.length * 2);
                    default -> Long.MAX_VALUE - rnd.nextInt(4);
                };
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
                return b;
            }
            default -> { // replace a token of the JSON header (a number, a string, a bracket) with another
                String json = new String(src, 8, headerEnd - 8, StandardCharsets.UTF_8);
                int at = rnd.nextInt(json.length());
                int end = Math.min(json.length(), at + 1 + rnd.nextInt(6));
                while (end < json.length() && Character.isDigit(json.charAt(end))) end++;
                String edited = json.substring(0, at) + TOKENS[rnd.nextInt(TOKENS.length)] + json.substring(end);
                byte[] h = edited.getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = ByteBuffer.allocate(8 + h.length + src.length - headerEnd).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(h.length).put(h).put(src, headerEnd, src.length - headerEnd);
                return b.array();
            }
        }
    }

    @Test
    void mutatedFilesGiveOnlyClearErrors() throws IOException {
        byte[] original = original();
        SplittableRandom rnd = new SplittableRandom(20240601);
        Path f = dir.resolve("mutant.safetensors");
        int read = 0, rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] m = mutate(original, rnd);
            Files.write(f, m);
            try {
                SafeTensors st = SafeTensors.read(f);
                for (SafeTensors.Entry e : st.entries().values()) {
                    long len = e.f32() != null ? e.f32().length : e.i64().length;
                    assertEquals(e.numel(), len, e.name());
                }
                read++;
            } catch (SafeTensorsException e) {
                assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
                rejected++;
            } catch (Throwable t) {
                Files.write(dir.resolve("failing.safetensors"), m);
                fail("case " + i + " (" + m.length + " bytes, header "
                        + new String(m, 8, Math.min(m.length - 8, 400), StandardCharsets.ISO_8859_1) + "): " + t, t);
            }
        }
        System.out.printf("safetensors fuzz: %d mutants, %d read, %d rejected with SafeTensorsException%n", CASES, read, rejected);
        assertTrue(rejected > CASES / 2, "most mutants must be rejected, got " + rejected);
    }
}
