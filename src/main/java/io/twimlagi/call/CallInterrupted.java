package io.twimlagi.call;

/**
 * The media command in progress was stopped from outside ({@link CallControl#interrupt}): a live update or a
 * dequeue replaces what the call was doing. Unwinds the current verb; the document walker decides what runs next.
 */
public final class CallInterrupted extends RuntimeException {
    public CallInterrupted() {
        super("interrupted", null, false, false);
    }
}
