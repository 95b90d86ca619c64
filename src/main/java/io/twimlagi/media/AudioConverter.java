package io.twimlagi.media;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.ByteArrayInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Turns any WAV/AIFF/AU the JDK decodes (PCM 8/16/24/32-bit, μ-law, A-law; any rate; mono or stereo) into what
 * Asterisk's format_wav plays natively: 8 kHz, 16-bit, mono PCM WAV. Resampling is a windowed-sinc low-pass, so
 * 22/44/48 kHz sources do not alias.
 */
public final class AudioConverter {
    public static final int RATE = 8000;
    private static final int HALF_TAPS = 16;

    private AudioConverter() {
    }

    /** Decodes {@code audio}, converts it, and writes {@code target} atomically. */
    public static void toAsteriskWav(byte[] audio, Path target) throws MediaException {
        short[] pcm = decodeToMono8k(audio);
        writeWav(pcm, target);
    }

    static short[] decodeToMono8k(byte[] audio) throws MediaException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(
                new BufferedInputStream(new ByteArrayInputStream(audio)))) {
            AudioFormat src = in.getFormat();
            AudioFormat pcm16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, src.getSampleRate(), 16,
                    src.getChannels(), src.getChannels() * 2, src.getSampleRate(), false);
            try (AudioInputStream decoded = AudioSystem.getAudioInputStream(pcm16, in)) {
                byte[] bytes = decoded.readAllBytes();
                int channels = src.getChannels();
                int frames = bytes.length / (2 * channels);
                float[] mono = new float[frames];
                ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (int f = 0; f < frames; f++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) sum += bb.getShort();
                    mono[f] = sum / channels;
                }
                return resample(mono, src.getSampleRate());
            }
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw new MediaException(13420, "unsupported or undecodable audio: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MediaException(13420, "cannot decode audio: " + e.getMessage(), e);
        }
    }

    static short[] resample(float[] in, float srcRate) {
        if (Math.abs(srcRate - RATE) < 0.5f) return clip(in);
        double ratio = srcRate / RATE;
        int outLen = (int) Math.floor(in.length / ratio);
        short[] out = new short[outLen];
        double cutoff = Math.min(1.0, RATE / (double) srcRate) * 0.95; // relative to the source Nyquist
        double halfWidth = HALF_TAPS / cutoff;
        for (int i = 0; i < outLen; i++) {
            double center = i * ratio;
            int lo = (int) Math.ceil(center - halfWidth);
            int hi = (int) Math.floor(center + halfWidth);
            double acc = 0;
            double norm = 0;
            for (int j = Math.max(lo, 0); j <= Math.min(hi, in.length - 1); j++) {
                double x = j - center;
                double w = sinc(x * cutoff) * 0.5 * (1 + Math.cos(Math.PI * x / halfWidth)); // Hann window
                acc += in[j] * w;
                norm += w;
            }
            out[i] = clamp(norm == 0 ? 0 : acc / norm);
        }
        return out;
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    private static short[] clip(float[] in) {
        short[] out = new short[in.length];
        for (int i = 0; i < in.length; i++) out[i] = clamp(in[i]);
        return out;
    }

    private static short clamp(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }

    /** Writes 8 kHz 16-bit mono PCM WAV to a temporary file, then moves it into place. */
    public static void writeWav(short[] pcm, Path target) throws MediaException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp" + Thread.currentThread().getId());
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE)
                .putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(pcm.length * 2);
        for (short s : pcm) b.putShort(s);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(b.array());
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new MediaException(12400, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads everything up to {@code limit} bytes; more is an error (a 40-minute cap like Twilio's). */
    static byte[] readLimited(InputStream in, int limit) throws IOException, MediaException {
        byte[] data = in.readNBytes(limit + 1);
        if (data.length > limit) throw new MediaException(13420, "audio larger than " + limit + " bytes");
        return data;
    }
}
