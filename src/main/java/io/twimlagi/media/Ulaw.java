package io.twimlagi.media;

/**
 * G.711 μ-law, the only encoding of Twilio's Media Streams ({@code audio/x-mulaw}, 8 kHz, mono), to and from the
 * 16-bit little-endian linear PCM that Asterisk's media connection carries. Both directions are table lookups, so a
 * 20 ms frame costs 160 array reads. Decoding then encoding gives every byte back except 0x7F (μ-law's negative
 * zero, which comes back as 0xFF).
 */
public final class Ulaw {
    /** μ-law's silence (positive zero). */
    public static final byte SILENCE = (byte) 0xFF;

    private static final short[] DECODE = new short[256];
    private static final byte[] ENCODE = new byte[65536];

    static {
        for (int i = 0; i < 256; i++) DECODE[i] = decodeOne((byte) i);
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) ENCODE[s & 0xFFFF] = encodeOne((short) s);
    }

    private Ulaw() {
    }

    /** One μ-law byte as a linear sample. */
    public static short decode(byte ulaw) {
        return DECODE[ulaw & 0xFF];
    }

    /** One linear sample as μ-law. */
    public static byte encode(short sample) {
        return ENCODE[sample & 0xFFFF];
    }

    /** μ-law bytes {@code [from, from + n)} as little-endian 16-bit PCM into {@code out} at {@code outOffset}. */
    public static void toPcm(byte[] ulaw, int from, int n, byte[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            short s = DECODE[ulaw[from + i] & 0xFF];
            out[outOffset + 2 * i] = (byte) s;
            out[outOffset + 2 * i + 1] = (byte) (s >> 8);
        }
    }

    /**
     * Every {@code step}-th little-endian 16-bit sample of {@code pcm}, starting at byte {@code from}, as μ-law:
     * {@code step} 1 for mono, 2 to take one channel of interleaved stereo. Returns {@code n} bytes.
     */
    public static byte[] fromPcm(byte[] pcm, int from, int n, int step) {
        byte[] out = new byte[n];
        int p = from;
        for (int i = 0; i < n; i++, p += 2 * step) {
            out[i] = ENCODE[(pcm[p] & 0xFF) | (pcm[p + 1] & 0xFF) << 8];
        }
        return out;
    }

    /** ITU-T G.711 μ-law expansion (0xFF and 0x7F are 0). */
    private static short decodeOne(byte ulaw) {
        int u = ~ulaw & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    /** ITU-T G.711 μ-law compression, with its bias (0x84) and clip. */
    private static byte encodeOne(short sample) {
        int pcm = sample;
        int mask;
        if (pcm < 0) {
            pcm = 0x84 - pcm;
            mask = 0x7F;
        } else {
            pcm += 0x84;
            mask = 0xFF;
        }
        if (pcm > 0x7FFF) pcm = 0x7FFF;
        int seg = 0;
        for (int v = pcm >> 8; v > 0; v >>= 1) seg++;
        if (seg > 7) seg = 7;
        return (byte) (((seg << 4) | ((pcm >> (seg + 3)) & 0x0F)) ^ mask);
    }
}
