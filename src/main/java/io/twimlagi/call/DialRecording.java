package io.twimlagi.call;

/**
 * Records the Dial on the caller's channel into {@code asteriskFile} (with extension): from the answer (only
 * while bridged) or from the start of ringing; {@code dual}: two channels (caller, callee) instead of mixed;
 * {@code append}: continue the file (the next attempt of a sequential Dial).
 */
public record DialRecording(String asteriskFile, boolean fromRinging, boolean dual, boolean append) {
    public DialRecording(String asteriskFile, boolean fromRinging, boolean dual) {
        this(asteriskFile, fromRinging, dual, false);
    }
}
