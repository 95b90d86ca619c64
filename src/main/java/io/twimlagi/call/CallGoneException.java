package io.twimlagi.call;

/** The caller hung up (or the call was ended): unwinds the call's work at once. Not an error; never logged with a trace. */
public final class CallGoneException extends RuntimeException {
    public CallGoneException() {
        super("call is gone", null, false, false);
    }
}
