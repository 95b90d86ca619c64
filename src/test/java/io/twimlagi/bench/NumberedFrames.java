package io.twimlagi.bench;

import io.twimlagi.e2e.harness.RtpProbe;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The callers' audio in {@link StreamsBench}: frame k carries its number k in its first four μ-law bytes, so that a
 * frame is followed from the caller's RTP to the app's {@code media} message and back, on the wire. The numbers are
 * quiet codes, so a silent frame stays silent (the playout may skip silent frames of a backlog, never sound).
 */
final class NumberedFrames {
    private NumberedFrames() {
    }

    /** The callers talk like people: 2 s of a 1 kHz tone, then 1 s of silence (the pauses the playout may shorten). */
    static final int TALK_FRAMES = 100;
    static final int CYCLE_FRAMES = 150;
    private static final byte[] TONE = RtpProbe.tone(1000, 0); // 1 kHz at 8 kHz: every 20 ms frame is the same

    static boolean talking(int k) {
        return k % CYCLE_FRAMES < TALK_FRAMES;
    }

    /**
     * Frame {@code k} of the caller into {@code u}: the tone or silence, and k in its first four bytes as quiet μ-law
     * codes (0xE0-0xFF, at most 372 of 32768: a silent frame with its number stays below -50 dBFS), five bits each.
     */
    static void frame(int k, byte[] u) {
        if (talking(k)) System.arraycopy(TONE, 0, u, 0, TONE.length);
        else Arrays.fill(u, (byte) 0xFF);
        for (int i = 0; i < 4; i++) u[i] = (byte) (0xE0 | (k >> (5 * i)) & 0x1F);
    }

    static byte[] frame(int k) {
        byte[] u = new byte[RtpProbe.FRAME];
        frame(k, u);
        return u;
    }

    /** The number of a frame, or -1 when its first bytes are not a number of ours. */
    static int index(byte[] u) {
        return u.length < 4 ? -1 : index(u[0], u[1], u[2], u[3]);
    }

    static int index(byte b0, byte b1, byte b2, byte b3) {
        int k = 0;
        byte[] b = {b0, b1, b2, b3};
        for (int i = 0; i < 4; i++) {
            if ((b[i] & 0xE0) != 0xE0) return -1;
            k |= (b[i] & 0x1F) << (5 * i);
        }
        return k == 0xFFFFF ? -1 : k; // all 0xFF: plain silence
    }

    private static final int[] B64 = new int[128];

    static {
        Arrays.fill(B64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) B64[alphabet.charAt(i)] = i;
    }

    /** The frame number in the first four bytes of a base64 payload (its first eight characters). */
    static int indexOfBase64(byte[] a, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int c = a[at + i];
            if (c < 0 || B64[c] < 0) return -1;
            v = v << 6 | B64[c];
        }
        return index((byte) (v >> 40), (byte) (v >> 32), (byte) (v >> 24), (byte) (v >> 16));
    }

    /** The callers' frames for {@link RtpCallers}: {@link #frame}. */
    static final RtpCallers.FrameCodec CODEC = new RtpCallers.FrameCodec() {
        @Override
        public void write(int k, byte[] frame) {
            NumberedFrames.frame(k, frame);
        }

        @Override
        public int read(ByteBuffer payload) {
            if (payload.remaining() < 4) return -1;
            int p = payload.position();
            return index(payload.get(p), payload.get(p + 1), payload.get(p + 2), payload.get(p + 3));
        }
    };
}
