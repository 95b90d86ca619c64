package io.twimlagi.twiml;

/**
 * A problem found in a TwiML document.
 *
 * @param line    1-based line, 0 when not tied to a line
 * @param code    Twilio error/warning number (12100, 12200, 13510, ...)
 * @param message human-readable text (without the "warning: " prefix)
 * @param error   true = fatal (the document is not executed), false = warning
 */
public record Problem(int line, int code, String message, boolean error) {

    /** {@code FILE:LINE: CODE message}; for warnings the message is prefixed with {@code "warning: "}. */
    public String format(String file) {
        return file + ":" + line + ": " + code + " " + (error ? "" : "warning: ") + message;
    }

    @Override
    public String toString() {
        return format("twiml");
    }
}
