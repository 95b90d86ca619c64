package io.twimlagi.e2e.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test audio: 8 kHz 16-bit mono WAV files (what Asterisk's format_wav plays without transcoding).
 *
 * <pre>
 * TestTones.writeWav(asterisk.mediaDirOnHost().resolve("beep.wav"), TestTones.sine(1000, 1500, 0.5));
 * TestTones.speechWav(asterisk.mediaDirOnHost().resolve("hello.wav"), "Hello from the test");  // espeak-ng + sox
 * </pre>
 */
public final class TestTones {

    public static final int RATE = 8000;

    private TestTones() {
    }

    /** A sine tone; amplitude 0..1 of full scale. */
    public static short[] sine(double freqHz, long millis, double amplitude) {
        int n = (int) (RATE * millis / 1000);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * freqHz * i / RATE));
        }
        return s;
    }

    /** Digital silence. */
    public static short[] silence(long millis) {
        return new short[(int) (RATE * millis / 1000)];
    }

    /** Concatenation. */
    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) n += p.length;
        short[] out = new short[n];
        int o = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** Writes an 8 kHz 16-bit mono PCM WAV (creates parent folders). */
    public static Path writeWav(Path file, short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples.length * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(samples.length * 2);
        for (short s : samples) b.putShort(s);
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Reads the samples of a 16-bit mono PCM WAV (any rate; no resampling). */
    public static short[] readWav(Path file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            b.position(12);
            while (b.remaining() >= 8) {
                byte[] id = new byte[4];
                b.get(id);
                int len = b.getInt();
                if (new String(id).equals("data")) {
                    short[] s = new short[Math.min(len, b.remaining()) / 2];
                    for (int i = 0; i < s.length; i++) s[i] = b.getShort();
                    return s;
                }
                b.position(b.position() + len + (len & 1));
            }
            throw new IllegalArgumentException("no data chunk in " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two channels of a 16-bit stereo WAV: {@code [0]} left (channel 1), {@code [1]} right. */
    public static short[][] readStereoWav(Path file) {
        short[] interleaved = readWav(file);
        short[][] out = new short[2][interleaved.length / 2];
        for (int i = 0; i + 1 < interleaved.length; i += 2) {
            out[0][i / 2] = interleaved[i];
            out[1][i / 2] = interleaved[i + 1];
        }
        return out;
    }

    /**
     * Milliseconds of 20 ms frames (8 kHz) louder than -45 dBFS in which {@code hz} carries at least 40 % of the
     * power (Goertzel); use frequencies that are multiples of 50 Hz.
     */
    public static long toneMillis(short[] pcm, double hz) {
        long frames = 0;
        double k = 2 * Math.cos(2 * Math.PI * hz / RATE);
        for (int i = 0; i + 160 <= pcm.length; i += 160) {
            double s1 = 0, s2 = 0, total = 0;
            for (int j = i; j < i + 160; j++) {
                double x = pcm[j] / 32768.0;
                double s0 = x + k * s1 - s2;
                s2 = s1;
                s1 = s0;
                total += x * x;
            }
            if (10 * Math.log10(total / 160 + 1e-12) <= -45) continue;
            if ((s1 * s1 + s2 * s2 - k * s1 * s2) * 2 / 160 >= 0.4 * total) frames++;
        }
        return frames * 20;
    }

    /** Synthesizes speech with espeak-ng and converts it with sox to 8 kHz 16-bit mono WAV. */
    public static Path speechWav(Path file, String text) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Path raw = Files.createTempFile("espeak-", ".wav");
            try {
                run(List.of("espeak-ng", "-w", raw.toString(), text));
                run(List.of("sox", raw.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                        file.toString()));
            } finally {
                Files.deleteIfExists(raw);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.getInputStream().transferTo(out);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        }
    }
}
