package io.twimlagi.dial;

/** A {@link BridgeControl} action that did not happen: Asterisk cannot be asked now, or it refused. */
public final class BridgeControlException extends Exception {
    public enum Reason {
        /** No Manager Interface configured. */
        NOT_CONFIGURED,
        /** Not connected to Asterisk now. */
        UNAVAILABLE,
        /** Asterisk refused (e.g. the channel is not, or not yet, in that conference). */
        REFUSED
    }

    private final Reason reason;

    public BridgeControlException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
