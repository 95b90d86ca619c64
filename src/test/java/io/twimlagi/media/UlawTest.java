package io.twimlagi.media;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UlawTest {
    @Test
    void knownValuesOfG711() {
        assertEquals(0, Ulaw.decode((byte) 0xFF));
        assertEquals(0, Ulaw.decode((byte) 0x7F));
        assertEquals(-32124, Ulaw.decode((byte) 0x00));
        assertEquals(32124, Ulaw.decode((byte) 0x80));
        assertEquals((byte) 0xFF, Ulaw.encode((short) 0));
        assertEquals((byte) 0x80, Ulaw.encode(Short.MAX_VALUE));
        assertEquals((byte) 0x00, Ulaw.encode(Short.MIN_VALUE));
    }

    @Test
    void everyByteButNegativeZeroSurvivesDecodeThenEncode() {
        for (int b = 0; b < 256; b++) {
            byte u = (byte) b;
            byte expected = b == 0x7F ? (byte) 0xFF : u;
            assertEquals(expected, Ulaw.encode(Ulaw.decode(u)), "byte " + b);
        }
    }

    @Test
    void pcmFramesBothWaysAndOneChannelOfStereo() {
        byte[] ulaw = {(byte) 0x10, (byte) 0x90, (byte) 0xFF, (byte) 0x45};
        byte[] pcm = new byte[8];
        Ulaw.toPcm(ulaw, 0, 4, pcm, 0);
        assertArrayEquals(ulaw, Ulaw.fromPcm(pcm, 0, 4, 1));
        byte[] stereo = new byte[16]; // left = ulaw, right = silence
        for (int i = 0; i < 4; i++) {
            stereo[4 * i] = pcm[2 * i];
            stereo[4 * i + 1] = pcm[2 * i + 1];
        }
        assertArrayEquals(ulaw, Ulaw.fromPcm(stereo, 0, 4, 2));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, Ulaw.fromPcm(stereo, 2, 4, 2));
    }
}
