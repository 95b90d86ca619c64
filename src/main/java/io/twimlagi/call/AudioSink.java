package io.twimlagi.call;

/**
 * Receives what an {@link AudioLink} brings in, on the edge's I/O thread: methods must return quickly and never
 * block.
 */
public interface AudioSink {
    /** The edge connected: audio flows from now on. */
    void connected();

    /**
     * A frame of the call's audio: mono (a {@link CallStreaming#linkAudio} link: what the caller says) or, for a
     * {@link CallStreaming#forkAudio} link, interleaved stereo (left: what the caller says, right: what the caller
     * hears). Little-endian 16-bit samples in {@code pcm[offset, offset + length)}; valid during the call only.
     */
    void audio(byte[] pcm, int offset, int length);

    /** A key the caller pressed (links of {@link CallStreaming#linkAudio} only). */
    void dtmf(char digit);

    /** The link ended (either side); called once, last. */
    void closed();
}
