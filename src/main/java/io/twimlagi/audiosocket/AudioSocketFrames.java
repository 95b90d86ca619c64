package io.twimlagi.audiosocket;

/**
 * Asterisk's AudioSocket protocol (docs.asterisk.org, Channel-Drivers/AudioSocket; res_audiosocket.c): over TCP,
 * messages of one kind byte, a 2-byte big-endian length and that many bytes.
 */
final class AudioSocketFrames {
    /** The other side hangs up (no payload). */
    static final byte HANGUP = 0x00;
    /** The first message from Asterisk: the 16-byte UUID given to AudioSocket() / the channel. */
    static final byte UUID = 0x01;
    /** A DTMF digit, one ASCII byte (Asterisk 22.4+). */
    static final byte DTMF = 0x03;
    /** 16-bit little-endian linear PCM at 8 kHz. */
    static final byte AUDIO = 0x10;
    /** Higher rates (slin12 ... slin192, Asterisk 22.7+): never asked for here. */
    static final byte AUDIO_HIGHEST = 0x18;
    /** An error, one code byte. */
    static final byte ERROR = (byte) 0xFF;

    /** The largest payload accepted: a stereo 8 kHz frame is 640 bytes; a few times that is plenty. */
    static final int MAX_PAYLOAD = 8192;

    private AudioSocketFrames() {
    }
}
