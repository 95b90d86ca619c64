package io.twimlagi.ami;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks every value before it becomes an AMI header line: asterisk-java writes values as they are, so a CR or LF
 * would end the header and inject another one (or a whole action). Bad input is a programming error of the caller:
 * {@link IllegalArgumentException}, before anything is sent.
 */
final class AmiText {
    /** Asterisk's AST_MAX_PUBLIC_UNIQUEID. */
    static final int MAX_UNIQUE_ID = 149;
    /**
     * The longest header line we send, CR LF excluded: Asterisk's manager reads a line into 1,024 bytes and
     * discards the whole action when one is longer (nothing answers it then).
     */
    static final int MAX_LINE_BYTES = 1000;
    /** The characters Asterisk's argument parser gives a meaning to (main/app.c __ast_app_separate_args). */
    private static final String ARGUMENT_SPECIALS = ",()[]\"\\";
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z][A-Za-z0-9_]*/.+");
    private static final Pattern UNIQUE_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_UNIQUE_ID + "}");
    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    /** A variable, or a dialplan function to write or read: NAME or FUNC(args). */
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,79}(\\([^()=]{0,200}\\))?");

    private AmiText() {
    }

    /** {@code value} when it has no control characters (null allowed), else the exception. */
    static String plain(String what, String value) {
        if (value != null && CONTROL.matcher(value).find()) {
            throw new IllegalArgumentException(what + " has a control character (CR, LF, NUL...): " + shown(value));
        }
        return value;
    }

    /** Non-empty, no control characters, at most {@code max} characters. */
    static String required(String what, String value, int max) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException(what + " is missing");
        if (value.length() > max) throw new IllegalArgumentException(what + " is longer than " + max + " characters");
        return plain(what, value);
    }

    /**
     * One channel by name ({@code PJSIP/sipp-00000001}, {@code Local/s@ctx-00000002;1}): Tech/…, and not a
     * {@code /regex/}, which Asterisk's Hangup would apply to every channel.
     */
    static String channel(String what, String value) {
        required(what, value, 255);
        if (!CHANNEL.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " is not a channel name such as PJSIP/name-00000001: "
                    + shown(value));
        }
        return value;
    }

    static String uniqueId(String what, String value) {
        if (value == null) return null;
        if (!UNIQUE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_UNIQUE_ID
                    + " letters, digits, '.', '_' or '-': " + shown(value));
        }
        return value;
    }

    static String application(String value) {
        if (value == null || !APPLICATION.matcher(value).matches()) {
            throw new IllegalArgumentException("application is not a dialplan application name: " + shown(value));
        }
        return value;
    }

    static String variable(String value) {
        if (value == null || !VARIABLE.matcher(value).matches()) {
            throw new IllegalArgumentException("variable name is not NAME or FUNCTION(args) (no '=', no nested "
                    + "parentheses): " + shown(value));
        }
        return value;
    }

    /**
     * A channel variable's value as an Originate's {@code Variable: NAME=value} header must carry it: Asterisk's
     * manager splits that header into several variables at commas, by its application-argument rules (quotes and
     * backslashes removed, parentheses and brackets nest), so each of {@code , ( ) [ ] " \} gets a backslash and
     * the channel gets the value exactly as given.
     */
    static String variableValue(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (ARGUMENT_SPECIALS.indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    /** The bytes of one header line as sent (UTF-8, CR LF excluded). */
    static int lineBytes(String name, String value) {
        return name.getBytes(StandardCharsets.UTF_8).length + 2 + value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** For messages: the value with control characters made visible. */
    static String shown(String value) {
        if (value == null) return "null";
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c)); else sb.append(c);
            if (sb.length() > 120) return sb.append("…").toString();
        }
        return "'" + sb + "'";
    }
}
