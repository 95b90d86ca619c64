package io.twimlagi.stream;

/**
 * An app's string (a stream's name or URL from TwiML, an event or streamSid an app sent) made safe for one log line:
 * control characters (C0, DEL, C1, the Unicode line and paragraph separators) escaped as in JSON, so that an app
 * cannot start a forged log line or hide text from a terminal, and at most {@link #MAX_CHARS} characters kept.
 */
final class Printable {
    static final int MAX_CHARS = 200;

    private Printable() {
    }

    static String of(String s) {
        if (s == null) return "null";
        int n = Math.min(s.length(), MAX_CHARS);
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
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
}
