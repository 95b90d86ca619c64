package io.twimlagi.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** WAV files as Asterisk's format_wav writes them (8 kHz, 16-bit, mono PCM), built sample by sample. */
public final class TestWavs {
    public static final int RATE = 8000;

    private TestWavs() {
    }

    /** Low background noise (about -64 dBFS RMS): silence as a phone line carries it. */
    public static short[] silence(double seconds, long seed) {
        Random r = new Random(seed);
        short[] s = new short[(int) Math.round(seconds * RATE)];
        for (int i = 0; i < s.length; i++) s[i] = (short) (r.nextInt(41) - 20);
        return s;
    }

    /** A sine of amplitude 8000 (about -15 dBFS RMS). */
    public static short[] tone(double seconds, double hz) {
        short[] s = new short[(int) Math.round(seconds * RATE)];
        for (int i = 0; i < s.length; i++) s[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / RATE));
        return s;
    }

    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) n += p.length;
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A canonical 44-byte-header WAV. */
    public static void write(Path file, short[] samples) throws IOException {
        write(file, samples, -1, -1);
    }

    /**
     * A WAV whose RIFF and data sizes are the given values ({@code -1}: the correct value), e.g. 0 or 0xFFFFFFFF
     * as a recording whose header was never updated.
     */
    public static void write(Path file, short[] samples, long riffSize, long dataSize) throws IOException {
        int data = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (riffSize < 0 ? 36 + data : riffSize))
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) (dataSize < 0 ? data : dataSize));
        for (short s : samples) b.putShort(s);
        Files.createDirectories(file.getParent());
        Files.write(file, b.array());
    }

    /** The samples of a canonical WAV written by {@link RecordingStore}, checking its header on the way. */
    public static short[] readCanonical(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (!new String(all, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")) throw new IOException("no RIFF");
        if (b.getInt(4) != all.length - 8) throw new IOException("RIFF size " + b.getInt(4) + " vs " + all.length);
        if (!new String(all, 36, 4, StandardCharsets.US_ASCII).equals("data")) throw new IOException("no data@36");
        int len = b.getInt(40);
        if (len != all.length - 44) throw new IOException("data size " + len + " vs " + (all.length - 44));
        short[] s = new short[len / 2];
        for (int i = 0; i < s.length; i++) s[i] = b.getShort(44 + 2 * i);
        return s;
    }
}
