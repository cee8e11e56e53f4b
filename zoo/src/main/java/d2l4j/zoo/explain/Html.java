package d2l4j.zoo.explain;

/** Text into an HTML page: the five markup characters as entities, control characters as visible escapes. */
final class Html {
    private Html() {}

    /** {@code s} safe as element text and inside a quoted attribute; a control character becomes e.g. {@code \x1b}. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) b.append(String.format("\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
