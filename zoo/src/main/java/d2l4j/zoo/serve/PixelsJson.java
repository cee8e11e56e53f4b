package d2l4j.zoo.serve;

import java.nio.charset.StandardCharsets;

/**
 * A request's pixels as JSON: one flat array of numbers, {@code [0.0, 0.5, 1, ...]}, side×side values in [0, 1]
 * row-major. Parsed by hand and strictly (nothing but the array and whitespace; at most {@code max} numbers,
 * counted before they are stored), so that a body cannot make it build more than one float array of that size.
 */
final class PixelsJson {
    private PixelsJson() {}

    /** The numbers of the array; {@code allowed} names the lengths the net takes, for the error message. */
    static float[] parse(byte[] body, int max, String allowed) {
        String s = new String(body, StandardCharsets.UTF_8);
        int i = skip(s, 0);
        if (i >= s.length() || s.charAt(i) != '[') throw bad(i, "expected a JSON array of " + allowed + " numbers");
        float[] out = new float[max];
        int n = 0;
        i = skip(s, i + 1);
        if (i < s.length() && s.charAt(i) == ']') {
            return check(java.util.Arrays.copyOf(out, 0), skip(s, i + 1), s, allowed);
        }
        while (true) {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            if (start == i) throw bad(i, "expected a number");
            if (n == max) throw new IllegalArgumentException("the pixel array has more than " + max + " numbers; expected " + allowed);
            float v;
            try {
                v = Float.parseFloat(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw bad(start, "not a number: " + d2l4j.tensor.io.Json.quote(s.substring(start, Math.min(i, start + 20))));
            }
            if (!(v >= 0f && v <= 1f)) throw bad(start, "pixel " + n + " is " + v + ", expected a value in [0, 1]");
            out[n++] = v;
            i = skip(s, i);
            if (i < s.length() && s.charAt(i) == ',') {
                i = skip(s, i + 1);
                continue;
            }
            if (i < s.length() && s.charAt(i) == ']') return check(java.util.Arrays.copyOf(out, n), skip(s, i + 1), s, allowed);
            throw bad(i, "expected ',' or ']'");
        }
    }

    private static float[] check(float[] v, int end, String s, String allowed) {
        if (end != s.length()) throw bad(end, "text after the array");
        if (v.length == 0) throw new IllegalArgumentException("the pixel array is empty; expected " + allowed + " numbers");
        return v;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static IllegalArgumentException bad(int offset, String what) {
        return new IllegalArgumentException("bad pixel JSON at offset " + offset + ": " + what);
    }
}
