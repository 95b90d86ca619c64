package io.twimlagi.util;

import java.util.regex.Pattern;

/**
 * Hides the passwords of URLs ({@code https://user:secret@host/...} becomes {@code https://user:***@host/...}) in
 * any text: log lines and messages. Used by the log layout for every line, and by the HTTP client's own messages.
 */
public final class Redaction {
    /**
     * A scheme, matched only from the start of a run of scheme characters and at most 32 long: with a word boundary
     * every letter after a dot in {@code a.a.a...} (a caller's From) started a scan to the end, and formatting one
     * log line took seconds.
     */
    private static final String SCHEME = "(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}";
    /**
     * scheme://user:password@ - the password is whatever lies between the first ':' of the user-info and its last
     * '@' (a raw '@' in a password is hidden too).
     */
    private static final Pattern USERINFO_PASSWORD =
            Pattern.compile("(?i)(" + SCHEME + "://[^/?#@\\s:]*:)[^/?#\\s]*@");
    /** scheme://token@ - a user-info without a password may be a secret itself (an API key): hidden whole. */
    private static final Pattern USERINFO_TOKEN = Pattern.compile("(?i)(" + SCHEME + "://)[^/?#@\\s:]+@");

    private Redaction() {
    }

    /** {@code text} with every URL password (or password-less user-info) replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null || text.indexOf('@') < 0) return text;
        return USERINFO_TOKEN.matcher(USERINFO_PASSWORD.matcher(text).replaceAll("$1***@")).replaceAll("$1***@");
    }
}
