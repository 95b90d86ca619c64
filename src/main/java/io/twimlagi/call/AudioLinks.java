package io.twimlagi.call;

/** Where media connections come from: the edge's listener for them. */
public interface AudioLinks {
    /** Links that cannot be opened (no listener): every {@link #open} fails. */
    AudioLinks NONE = sink -> {
        throw new IllegalStateException("no media listener (audiosocket_bind is off or could not be bound)");
    };

    /**
     * Prepares a link whose audio goes to {@code sink}; the edge connects once the call is told to use it
     * ({@link CallStreaming}). Throws {@link IllegalStateException} when no link can be opened.
     */
    AudioLink open(AudioSink sink);
}
