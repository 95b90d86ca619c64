package io.twimlagi.call;

/** Streaming the call's audio to this server over an {@link AudioLink} (Media Streams). */
public interface CallStreaming {
    /**
     * Carries the call's audio both ways over {@code link} (the call must be answered): what the caller says goes
     * to the link's sink, what is sent on the link is what the caller hears. Returns when the link is ended
     * ({@link AudioLink#hangUp()}, which {@link CallControl#interrupt()} does too: then {@link CallInterrupted} is
     * thrown), the caller hangs up (a result here, not an exception), or the edge cannot run it.
     */
    AudioLinkEnd linkAudio(AudioLink link);

    /**
     * Starts a copy of the call's audio to {@code link} beside whatever the call does next, and returns at once:
     * stereo frames, what the caller says and what the caller hears. The copy ends when the link is hung up or the
     * call ends. False when the edge could not start it.
     */
    boolean forkAudio(AudioLink link);
}
