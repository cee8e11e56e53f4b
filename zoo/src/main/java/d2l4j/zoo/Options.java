package d2l4j.zoo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line's options, {@code --name value} or {@code --name=value}, parsed by hand: the zoo jar
 * depends on nothing but the JDK. Unknown options and malformed values are errors that say what was expected.
 */
final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** Options without a value, present or absent: {@code --resume}, {@code --stats}. */
    static final Set<String> FLAGS = Set.of("resume", "stats");

    Options(String[] args, Set<String> known) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2), value;
            int eq = name.indexOf('=');
            if (FLAGS.contains(name) && known.contains(name)) {
                values.put(name, "true");
                continue;
            }
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new UsageException("option --" + name + " needs a value");
                value = args[++i];
            }
            if (!known.contains(name)) throw new UsageException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
            values.put(name, value);
        }
    }

    List<String> positional() {
        return positional;
    }

    int intValue(String name, int dflt, int min) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            int x = Integer.parseInt(v);
            if (x < min) throw new UsageException("--" + name + " must be at least " + min + ", got " + x);
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    long longValue(String name, long dflt) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    float floatValue(String name, float dflt) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            double d = Double.parseDouble(v);
            float x = (float) d;
            if (d > 0 && x == 0f) {
                throw new UsageException("--" + name + " " + v + " is below the smallest positive float (1.4e-45): it would be 0");
            }
            if (!(x > 0) || Float.isInfinite(x)) throw new UsageException("--" + name + " must be a positive number below 3.4e38, got " + v);
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
    }

    String stringValue(String name) {
        return values.get(name);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String stringValue(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    Path pathValue(String name) {
        String v = values.get(name);
        return v == null ? null : path("--" + name, v);
    }

    /** A path from the command line; one the file-name encoding cannot hold is an error that names the locale. */
    static Path path(String what, String v) {
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(what + " " + d2l4j.tensor.io.Json.quote(v) + " cannot be a file name in this locale's "
                    + "encoding (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding") + "): run under a UTF-8 locale, "
                    + "e.g. LC_ALL=C.UTF-8");
        }
    }

    /** A mistake on the command line: printed with the usage, exit status 2. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }
}
