package io.twimlagi.stream;

/**
 * An app's string (a stream's name or URL from TwiML, an event or streamSid an app sent) made safe for one log line:
 * control characters (C0, DEL, C1, the Unicode line and paragraph separators, format characters such as bidi
 * overrides, lone surrogates) escaped as in JSON, so that an app cannot start a forged log line or hide text from a
 * terminal, and at most {@link #MAX_CHARS} characters kept (a surrogate pair is never cut in half).
 */
final class Printable {
    static final int MAX_CHARS = 200;

    private Printable() {
    }

    static String of(String s) {
        if (s == null) return "null";
        int n = Math.min(s.length(), MAX_CHARS);
        if (n < s.length() && Character.isHighSurrogate(s.charAt(n - 1))) n--; // never cut a pair in half
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            // also Cf (format: bidi overrides and isolates, zero-width characters), which reorder or hide text on a
            // terminal, and a lone surrogate (half a character: unprintable)
            int type = Character.getType(c);
            boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029'
                    || type == Character.FORMAT || (type == Character.SURROGATE && !paired(s, i));
            if (control && b == null) b = new StringBuilder(n + 16).append(s, 0, i);
            if (b == null) continue;
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (control) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        String out = b == null ? s.substring(0, n) : b.toString();
        return s.length() > MAX_CHARS ? out + "…" : out;
    }

    /** Whether the surrogate at {@code i} is half of a pair (a character beyond U+FFFF, e.g. an emoji). */
    private static boolean paired(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
