package io.twimlagi.agi;

import java.nio.charset.StandardCharsets;

/**
 * All escaping of text bound for Asterisk lives here. asterisk-java quotes arguments and removes LF only; a CR,
 * NUL or other control character would still reach Asterisk's line parser, and a line over 8 KB is split into a
 * second command. So: control characters are removed, lengths are capped, and application arguments (EXEC) get
 * Asterisk's own backslash escaping for {@code , ( ) [ ] " \ |}.
 */
public final class AgiText {
    /** Asterisk reads AGI lines into an 8192-byte buffer; stay well below it. */
    public static final int MAX_COMMAND_BYTES = 7 * 1024;

    private AgiText() {
    }

    /** Removes C0/C1 control characters and DEL. */
    public static String clean(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control) {
                if (b == null) b = new StringBuilder(s.length()).append(s, 0, i);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** One argument of an Asterisk application (the text after {@code EXEC App}), escaped for its parser. */
    public static String appArg(String s) {
        String c = clean(s);
        StringBuilder b = new StringBuilder(c.length() + 8);
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (",()[]\"\\|".indexOf(ch) >= 0) b.append('\\');
            b.append(ch);
        }
        return b.toString();
    }

    /** The first {@code maxChars} characters of {@code s} at most, never half a surrogate pair. */
    public static String truncate(String s, int maxChars) {
        if (s == null || s.length() <= maxChars) return s;
        int end = Character.isHighSurrogate(s.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return s.substring(0, end);
    }

    /** True when a built command fits in one Asterisk AGI line. */
    public static boolean fits(String command) {
        return command.getBytes(StandardCharsets.UTF_8).length <= MAX_COMMAND_BYTES;
    }

    /** Throws when a built command would not fit in one Asterisk AGI line. */
    public static String checkLength(String command) {
        if (!fits(command)) {
            throw new IllegalArgumentException("AGI command longer than " + MAX_COMMAND_BYTES + " bytes refused");
        }
        return command;
    }
}
