package io.twimlagi.util;

import java.util.regex.Pattern;

/**
 * Hides the passwords of URLs ({@code https://user:secret@host/...} becomes {@code https://user:***@host/...}) in
 * any text: log lines and messages. Used by the log layout for every line, and by the HTTP client's own messages.
 */
public final class Redaction {
    /**
     * scheme://user:password@ - the password is whatever lies between the first ':' of the user-info and its last
     * '@' (a raw '@' in a password is hidden too).
     */
    private static final Pattern USERINFO_PASSWORD =
            Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^/?#@\\s:]*:)[^/?#\\s]*@");
    /** scheme://token@ - a user-info without a password may be a secret itself (an API key): hidden whole. */
    private static final Pattern USERINFO_TOKEN = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/?#@\\s:]+@");

    private Redaction() {
    }

    /** {@code text} with every URL password (or password-less user-info) replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null || text.indexOf('@') < 0) return text;
        return USERINFO_TOKEN.matcher(USERINFO_PASSWORD.matcher(text).replaceAll("$1***@")).replaceAll("$1***@");
    }
}
