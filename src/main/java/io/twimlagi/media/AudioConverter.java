package io.twimlagi.media;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Turns any WAV/AIFF/AU the JDK decodes (PCM 8/16/24/32-bit, μ-law, A-law; any rate; mono or stereo), MP3 (MPEG
 * 1/2/2.5 layer III through the mp3spi provider; any bitrate, CBR or VBR, ID3 tags skipped) and headerless G.711
 * (μ-law / A-law bodies, 8 kHz mono, recognised by content type) into what Asterisk's format_wav plays natively:
 * 8 kHz, 16-bit, mono PCM WAV. Resampling is a windowed-sinc low-pass, so 22/44/48 kHz sources do not alias.
 * Decoding streams: memory stays proportional to the 8 kHz output, not to the decoded source.
 */
public final class AudioConverter {
    public static final int RATE = 8000;
    /** Longest audio accepted, in seconds of output (70 min: what the 64 MB body limit allows for 8 kHz WAV). */
    static final int MAX_SECONDS = 70 * 60;
    private static final int HALF_TAPS = 16;

    private static final Set<String> ULAW_TYPES = Set.of("audio/ulaw", "audio/basic", "audio/x-mulaw",
            "audio/mulaw", "audio/x-ulaw", "audio/pcmu", "audio/g711-ulaw");
    private static final Set<String> ALAW_TYPES = Set.of("audio/alaw", "audio/x-alaw", "audio/pcma",
            "audio/g711-alaw");

    /** A body's container, from its first bytes. */
    enum Container { WAV, AIFF, AU, MP3, NONE }

    private AudioConverter() {
    }

    /**
     * Decodes {@code audio}, converts it, and writes {@code target} atomically. {@code contentType} (the HTTP
     * Content-Type, parameters allowed, or a pseudo type such as {@code audio/ulaw} for a file's extension; may be
     * null) only matters for bodies without a container header: μ-law / A-law types make them raw 8 kHz G.711.
     */
    public static void toAsteriskWav(byte[] audio, String contentType, Path target) throws MediaException {
        short[] pcm = decodeToMono8k(audio, contentType);
        writeWav(pcm, target);
    }

    /** The pseudo content type for a file name's extension ({@code .ulaw}, {@code .al}...), or null. */
    public static String typeForFileName(String name) {
        if (name == null) return null;
        String n = name.toLowerCase(Locale.ROOT);
        int q = n.indexOf('?');
        if (q >= 0) n = n.substring(0, q);
        int dot = n.lastIndexOf('.');
        if (dot < 0 || dot < n.lastIndexOf('/')) return null;
        return switch (n.substring(dot + 1)) {
            case "ulaw", "mulaw", "pcmu", "ul", "u8" -> "audio/ulaw";
            case "alaw", "pcma", "al", "a8" -> "audio/alaw";
            default -> null;
        };
    }

    /** True for the μ-law and A-law content types Twilio plays as raw G.711. */
    public static boolean isRawG711(String contentType) {
        String t = baseType(contentType);
        return ULAW_TYPES.contains(t) || ALAW_TYPES.contains(t);
    }

    static short[] decodeToMono8k(byte[] audio) throws MediaException {
        return decodeToMono8k(audio, null);
    }

    static short[] decodeToMono8k(byte[] audio, String contentType) throws MediaException {
        String type = baseType(contentType);
        Container c = container(audio, ULAW_TYPES.contains(type) || ALAW_TYPES.contains(type));
        if (c == Container.NONE) {
            if (ULAW_TYPES.contains(type)) return rawG711(audio, true);
            if (ALAW_TYPES.contains(type)) return rawG711(audio, false);
        }
        return decodeContainer(audio);
    }

    static String baseType(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Sniffs the container. With {@code strictMp3} (the body claims to be raw G.711, whose bytes can start like an
     * MP3 frame: μ-law silence is 0xFF), MP3 needs an ID3 tag or two consecutive valid frame headers.
     */
    static Container container(byte[] a, boolean strictMp3) {
        if (startsWith(a, 0, "RIFF") && startsWith(a, 8, "WAVE")) return Container.WAV;
        if (startsWith(a, 0, "RIFX") || startsWith(a, 0, "RF64")) return Container.WAV;
        if (startsWith(a, 0, "FORM") && (startsWith(a, 8, "AIFF") || startsWith(a, 8, "AIFC"))) return Container.AIFF;
        if (startsWith(a, 0, ".snd")) return Container.AU;
        if (startsWith(a, 0, "ID3")) return Container.MP3;
        int len = mp3FrameLength(a, 0);
        if (len > 0 && (!strictMp3 || mp3FrameLength(a, len) > 0)) return Container.MP3;
        return Container.NONE;
    }

    private static boolean startsWith(byte[] a, int offset, String magic) {
        if (a.length < offset + magic.length()) return false;
        for (int i = 0; i < magic.length(); i++) {
            if (a[offset + i] != (byte) magic.charAt(i)) return false;
        }
        return true;
    }

    private static final int[][] MP3_BITRATES = { // kbit/s by [MPEG-1 ? 0 : 1][index], layer III
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1}};
    private static final int[] MP3_RATES = {44100, 48000, 32000, -1};

    /** The length of the MPEG audio layer III frame whose header is at {@code off}, or -1 if there is none. */
    static int mp3FrameLength(byte[] a, int off) {
        if (off < 0 || a.length < off + 4) return -1;
        int b1 = a[off + 1] & 0xFF;
        int b2 = a[off + 2] & 0xFF;
        if ((a[off] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0) return -1;
        int version = (b1 >> 3) & 3;          // 0 = 2.5, 1 = reserved, 2 = MPEG-2, 3 = MPEG-1
        int layer = (b1 >> 1) & 3;            // 1 = layer III
        if (version == 1 || layer != 1) return -1;
        int bitrate = MP3_BITRATES[version == 3 ? 0 : 1][b2 >> 4];
        int rate = MP3_RATES[(b2 >> 2) & 3];
        if (bitrate <= 0 || rate < 0) return -1;
        if (version == 2) rate /= 2;
        if (version == 0) rate /= 4;
        int padding = (b2 >> 1) & 1;
        return (version == 3 ? 144 : 72) * bitrate * 1000 / rate + padding;
    }

    private static short[] decodeContainer(byte[] audio) throws MediaException {
        // ByteArrayInputStream supports mark/reset without limit: the MP3 reader looks past long ID3 tags
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(audio))) {
            AudioFormat src = in.getFormat();
            int channels = src.getChannels();
            float rate = src.getSampleRate();
            if (channels < 1 || channels > 8 || !(rate >= 1000 && rate <= 192_000)) {
                throw new MediaException(13420, "unsupported audio format: " + src);
            }
            AudioFormat pcm16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, 16, channels, channels * 2,
                    rate, false);
            try (AudioInputStream decoded = AudioSystem.getAudioInputStream(pcm16, in)) {
                Resampler rs = new Resampler(rate);
                byte[] buf = new byte[channels * 2 * 4096];
                float[] mono = new float[4096];
                int have = 0;
                for (int n; !rs.overflowed() && (n = decoded.read(buf, have, buf.length - have)) >= 0; ) {
                    have += n;
                    int frames = have / (2 * channels);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, frames * 2 * channels).order(ByteOrder.LITTLE_ENDIAN);
                    for (int f = 0; f < frames; f++) {
                        float sum = 0;
                        for (int c = 0; c < channels; c++) sum += bb.getShort();
                        mono[f] = sum / channels;
                    }
                    rs.push(mono, frames);
                    int used = frames * 2 * channels;
                    System.arraycopy(buf, used, buf, 0, have - used);
                    have -= used;
                }
                return rs.finish();
            }
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw new MediaException(13420, "unsupported or undecodable audio: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // the MP3 decoder reports corrupt streams with unchecked exceptions
            throw new MediaException(13420, "cannot decode audio: " + e, e);
        }
    }

    /** Headerless G.711 at 8 kHz mono, as Twilio plays audio/basic, audio/x-mulaw, audio/PCMA... bodies. */
    static short[] rawG711(byte[] audio, boolean ulaw) throws MediaException {
        if (audio.length == 0) throw new MediaException(13420, "empty audio");
        if (audio.length > MAX_SECONDS * RATE) throw tooLong();
        short[] out = new short[audio.length];
        for (int i = 0; i < audio.length; i++) out[i] = ulaw ? ulaw(audio[i]) : alaw(audio[i]);
        return out;
    }

    /** ITU-T G.711 μ-law expansion (the same values as the JDK's μ-law decoder). */
    static short ulaw(byte b) {
        int u = ~b & 0xFF;
        int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    /** ITU-T G.711 A-law expansion. */
    static short alaw(byte b) {
        int a = (b & 0xFF) ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else {
            t = (t + 0x108) << (seg - 1);
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }

    private static MediaException tooLong() {
        return new MediaException(13420, "audio longer than " + MAX_SECONDS / 60 + " minutes");
    }

    static short[] resample(float[] in, float srcRate) {
        Resampler rs = new Resampler(srcRate);
        rs.push(in, in.length);
        try {
            return rs.finish();
        } catch (MediaException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Streaming windowed-sinc resampler to {@link #RATE}: output sample i is the Hann-windowed sinc average of the
     * input around i * ratio; input no longer needed is dropped, so memory follows the output size.
     */
    static final class Resampler {
        private final double ratio;
        private final double cutoff;
        private final double halfWidth;
        private final boolean passThrough;
        private float[] buf = new float[8192];
        private long bufStart;   // absolute index of buf[0]
        private int bufLen;
        private short[] out = new short[8192];
        private int outLen;
        private long total;      // input samples pushed
        private boolean overflow;

        Resampler(float srcRate) {
            ratio = srcRate / RATE;
            passThrough = Math.abs(srcRate - RATE) < 0.5f;
            cutoff = Math.min(1.0, RATE / (double) srcRate) * 0.95; // relative to the source Nyquist
            halfWidth = HALF_TAPS / cutoff;
        }

        void push(float[] samples, int n) {
            if (overflow) return;
            if (bufLen + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + n));
            }
            System.arraycopy(samples, 0, buf, bufLen, n);
            bufLen += n;
            total += n;
            produce(false);
        }

        /** The output so far; more than {@link #MAX_SECONDS} of it is an error. */
        short[] finish() throws MediaException {
            produce(true);
            if (overflow) throw tooLong();
            return Arrays.copyOf(out, outLen);
        }

        boolean overflowed() {
            return overflow;
        }

        private void produce(boolean end) {
            long outTotal = passThrough ? total : (long) Math.floor(total / ratio);
            while (outLen < outTotal && !overflow) {
                if (outLen >= MAX_SECONDS * RATE) {
                    overflow = true;
                    break;
                }
                double center = outLen * ratio;
                long hi = (long) Math.floor(center + halfWidth);
                if (!passThrough && !end && hi > total - 1) break;
                emit(passThrough ? clamp(at(outLen)) : sample(center, hi));
            }
            long keepFrom = passThrough ? outLen : (long) Math.ceil(outLen * ratio - halfWidth);
            int drop = (int) Math.max(0, Math.min(bufLen, keepFrom - bufStart));
            if (drop > 4096 || (drop > 0 && drop * 2 > bufLen)) {
                System.arraycopy(buf, drop, buf, 0, bufLen - drop);
                bufLen -= drop;
                bufStart += drop;
            }
        }

        private float at(long index) {
            return buf[(int) (index - bufStart)];
        }

        private short sample(double center, long hi) {
            long lo = (long) Math.ceil(center - halfWidth);
            double acc = 0;
            double norm = 0;
            for (long j = Math.max(lo, 0); j <= Math.min(hi, total - 1); j++) {
                double x = j - center;
                double w = sinc(x * cutoff) * 0.5 * (1 + Math.cos(Math.PI * x / halfWidth)); // Hann window
                acc += at(j) * w;
                norm += w;
            }
            return clamp(norm == 0 ? 0 : acc / norm);
        }

        private void emit(short s) {
            if (outLen == out.length) out = Arrays.copyOf(out, out.length * 2);
            out[outLen++] = s;
        }
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    private static short clamp(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }

    /** Writes 8 kHz 16-bit mono PCM WAV to a temporary file, then moves it into place. */
    public static void writeWav(short[] pcm, Path target) throws MediaException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp" + Thread.currentThread().getId());
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + pcm.length * 2).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE)
                .putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes()).putInt(pcm.length * 2);
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 65536)) {
                out.write(h.array());
                ByteBuffer b = ByteBuffer.allocate(16384).order(ByteOrder.LITTLE_ENDIAN);
                for (short s : pcm) {
                    if (!b.hasRemaining()) {
                        out.write(b.array(), 0, b.position());
                        b.clear();
                    }
                    b.putShort(s);
                }
                out.write(b.array(), 0, b.position());
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
