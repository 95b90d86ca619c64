package io.twimlagi.sip;

/** Header-name rules: a name must be a SIP token (RFC 3261 §25.1) before it enters any Asterisk expression. */
public final class SipHeaders {
    private static final String TOKEN_PUNCTUATION = "-.!%*_+`'~";

    private SipHeaders() {
    }

    public static boolean isToken(String name) {
        if (name == null || name.isEmpty() || name.length() > 128) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || TOKEN_PUNCTUATION.indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    /** The headers Twilio passes to the webhook as {@code SipHeader_<name>}: every X- header, and User-to-User. */
    public static boolean isReported(String name) {
        return name.regionMatches(true, 0, "X-", 0, 2) || name.equalsIgnoreCase("User-to-User");
    }
}
