package d2l4j.zoo.data;

/**
 * A data file or data folder is missing, corrupt or cannot be fetched.
 *
 * <p>Unchecked: nothing a caller can do about a truncated file except report it, and the message
 * already says which file, where, and what was expected versus found, e.g.
 * {@code train-labels-idx1-ubyte.gz: label 11 at index 42 (byte offset 50) is outside 0-9}.
 */
public class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A short description of a low-level exception for a message: its class and text, and the
     * same for its causes ("ConnectException" alone says little, and its message is often null).
     */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        String previous = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String one = t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
            if (one.equals(previous)) continue; // the HTTP client wraps an exception in its own copy
            if (!sb.isEmpty()) sb.append(", caused by ");
            sb.append(one);
            previous = one;
        }
        return sb.toString();
    }
}
