package io.twimlagi.call;

/** How {@link CallStreaming#linkAudio} ended. */
public enum AudioLinkEnd {
    /** The link was ended ({@link AudioLink#hangUp()}): the call goes on. */
    ENDED,
    /** The caller hung up during it. */
    CALLER_HUNG_UP,
    /** The edge could not run it (it could not connect to the link's address): the call goes on. */
    FAILED
}
