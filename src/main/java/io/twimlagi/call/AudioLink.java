package io.twimlagi.call;

/**
 * One media connection the edge opens to this server for a stream of the call's audio (Asterisk's AudioSocket):
 * {@link #id()} names it to the edge, {@link #address()} is where the edge connects. Audio both ways is 8 kHz
 * 16-bit little-endian linear PCM in 20 ms frames; what arrives goes to the {@link AudioSink} it was opened with.
 * Thread-safe.
 */
public interface AudioLink {
    /** The id the edge presents when it connects (a UUID). */
    String id();

    /** Where the edge connects ({@code host:port}). */
    String address();

    /** Sends one frame to the caller (320 bytes: 20 ms); dropped when the link is not connected (yet or any more). */
    void send(byte[] pcm);

    /**
     * Ends the link from any thread: the edge stops the audio (a blocking {@link CallStreaming#linkAudio} returns,
     * a fork ends). Its sink's {@link AudioSink#closed()} follows once. Also ends a link the edge has not opened yet.
     */
    void hangUp();
}
