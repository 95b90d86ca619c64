package io.twimlagi.ami;

/**
 * An AMI action that did not happen: AMI is not connected (Asterisk down, restarting, or our login refused), Asterisk
 * refused it (its {@code Message:}, e.g. "No such channel", "Permission denied"), or no answer came in time.
 */
public final class AmiException extends Exception {
    /** Why the action failed. */
    public enum Reason {
        /** Not logged in to Asterisk now (or the connection dropped while waiting): worth retrying later. */
        NOT_CONNECTED,
        /** Asterisk answered {@code Response: Error}; the message is Asterisk's. */
        REFUSED,
        /** No answer within the client's action timeout. */
        TIMEOUT
    }

    private final Reason reason;

    public AmiException(Reason reason, String message) {
        this(reason, message, null);
    }

    AmiException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
