package io.twimlagi.media;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Turns any WAV/AIFF/AU the JDK decodes (PCM 8/16/24/32-bit, μ-law, A-law; any rate; mono or stereo), MP3 (MPEG
 * 1/2/2.5 layer III through the mp3spi provider; any bitrate, CBR or VBR, ID3 tags skipped) and headerless G.711
 * (μ-law / A-law bodies, 8 kHz mono, recognised by content type) into what Asterisk's format_wav plays natively:
 * 8 kHz, 16-bit, mono PCM WAV. Resampling is a windowed-sinc low-pass, so 22/44/48 kHz sources do not alias.
 *
 * <p>Everything streams: the source is read through javax.sound's streams (from a file, never as one array), the
 * output is written as it is produced, so memory is a few buffers whatever the length. ID3v2 tags are skipped here
 * rather than by the MP3 reader, which would allocate what a tag's header claims (up to 256 MB).
 */
public final class AudioConverter {
    public static final int RATE = 8000;
    /** Longest audio accepted, in seconds of output (70 min: what the 64 MB body limit allows for 8 kHz WAV). */
    static final int MAX_SECONDS = 70 * 60;
    /** Bytes looked at to recognise a container (two MP3 frames fit). */
    private static final int SNIFF_BYTES = 4096;

    private static final Set<String> ULAW_TYPES = Set.of("audio/ulaw", "audio/basic", "audio/x-mulaw",
            "audio/mulaw", "audio/x-ulaw", "audio/pcmu", "audio/g711-ulaw");
    private static final Set<String> ALAW_TYPES = Set.of("audio/alaw", "audio/x-alaw", "audio/pcma",
            "audio/g711-alaw");

    /** A body's container, from its first bytes. */
    enum Container { WAV, AIFF, AU, MP3, NONE }

    private AudioConverter() {
    }

    /**
     * Decodes {@code source} (a file: read in a streaming way), converts it, and writes {@code target} atomically.
     * {@code contentType} (the HTTP Content-Type, parameters allowed, or a pseudo type such as {@code audio/ulaw}
     * for a file's extension; may be null) only matters for bodies without a container header: μ-law / A-law types
     * make them raw 8 kHz G.711.
     */
    public static void toAsteriskWav(Path source, String contentType, Path target) throws MediaException {
        try (InputStream in = new SeekableFileStream(source); WavWriter out = new WavWriter(target)) {
            convert(in, contentType, out);
            out.commit();
        } catch (IOException e) {
            throw new MediaException(13420, "cannot read audio " + source + ": " + e.getMessage(), e);
        }
    }

    /** The same for audio already in memory (synthesized prompts). */
    public static void toAsteriskWav(byte[] audio, String contentType, Path target) throws MediaException {
        try (WavWriter out = new WavWriter(target)) {
            convert(new ByteArrayInputStream(audio), contentType, out);
            out.commit();
        }
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

    /** All the output in memory (tests). */
    static short[] decodeToMono8k(byte[] audio, String contentType) throws MediaException {
        Resampler.Collected out = new Resampler.Collected();
        convert(new ByteArrayInputStream(audio), contentType, out);
        return out.toArray();
    }

    /** Decodes {@code in} (mark/reset back to any earlier position) to 8 kHz mono into {@code out}. */
    private static void convert(InputStream in, String contentType, Resampler.Sink out) throws MediaException {
        String type = baseType(contentType);
        boolean g711 = ULAW_TYPES.contains(type) || ALAW_TYPES.contains(type);
        Container c;
        try {
            boolean tagged = skipId3v2(in);
            byte[] head = peek(in, SNIFF_BYTES);
            if (startsWith(head, 0, "ID3")) throw new MediaException(13420, "malformed ID3v2 tag");
            c = tagged ? Container.MP3 : container(head, g711);
        } catch (IOException e) {
            throw new MediaException(13420, "cannot read audio: " + e.getMessage(), e);
        }
        if (c == Container.NONE && g711) {
            rawG711(in, ULAW_TYPES.contains(type), out);
        } else {
            decodeContainer(in, out);
        }
    }

    /**
     * Skips the ID3v2 tags at the start of {@code in}; true when there was one. A tag claiming more than is left
     * leaves nothing to decode.
     */
    static boolean skipId3v2(InputStream in) throws IOException {
        boolean skipped = false;
        while (true) {
            in.mark(10);
            byte[] h = in.readNBytes(10);
            boolean tag = h.length == 10 && startsWith(h, 0, "ID3") && (h[3] & 0xFF) != 0xFF && (h[4] & 0xFF) != 0xFF
                    && ((h[6] | h[7] | h[8] | h[9]) & 0x80) == 0;
            if (!tag) {
                in.reset();
                return skipped;
            }
            long size = ((h[6] & 0x7FL) << 21) | ((h[7] & 0x7FL) << 14) | ((h[8] & 0x7FL) << 7) | (h[9] & 0x7FL);
            if ((h[5] & 0x10) != 0) size += 10; // a footer
            try {
                in.skipNBytes(size);
            } catch (EOFException nothingLeft) {
                return true;
            }
            skipped = true;
        }
    }

    private static byte[] peek(InputStream in, int n) throws IOException {
        in.mark(n);
        byte[] head = in.readNBytes(n);
        in.reset();
        return head;
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

    private static void decodeContainer(InputStream source, Resampler.Sink out) throws MediaException {
        // the readers try formats in turn, each resetting to its mark: source allows that without a limit
        try (AudioInputStream in = AudioSystem.getAudioInputStream(source)) {
            AudioFormat src = in.getFormat();
            int channels = src.getChannels();
            float rate = src.getSampleRate();
            if (channels < 1 || channels > 8 || !(rate >= 1000 && rate <= 192_000)) {
                throw new MediaException(13420, "unsupported audio format: " + src);
            }
            AudioFormat pcm16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, 16, channels, channels * 2,
                    rate, false);
            try (AudioInputStream decoded = AudioSystem.getAudioInputStream(pcm16, in)) {
                Resampler rs = new Resampler(rate, out);
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
                rs.finish();
            }
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw new MediaException(13420, "unsupported or undecodable audio: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // the MP3 decoder reports corrupt streams with unchecked exceptions
            throw new MediaException(13420, "cannot decode audio: " + e, e);
        }
    }

    /** Headerless G.711 at 8 kHz mono, as Twilio plays audio/basic, audio/x-mulaw, audio/PCMA... bodies. */
    private static void rawG711(InputStream in, boolean ulaw, Resampler.Sink out) throws MediaException {
        byte[] buf = new byte[8192];
        short[] pcm = new short[buf.length];
        long total = 0;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (total > (long) MAX_SECONDS * RATE) throw tooLong();
                for (int i = 0; i < n; i++) pcm[i] = ulaw ? ulaw(buf[i]) : alaw(buf[i]);
                out.write(pcm, n);
            }
        } catch (IOException e) {
            throw new MediaException(13420, "cannot read audio: " + e.getMessage(), e);
        }
        if (total == 0) throw new MediaException(13420, "empty audio");
    }

    /** ITU-T G.711 μ-law expansion (the same values as the JDK's μ-law decoder). */
    static short ulaw(byte b) {
        return Ulaw.decode(b);
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

    static MediaException tooLong() {
        return new MediaException(13420, "audio longer than " + MAX_SECONDS / 60 + " minutes");
    }

    /** Writes 8 kHz 16-bit mono PCM WAV (mode 0640) to a temporary file, then moves it into place. */
    public static void writeWav(short[] pcm, Path target) throws MediaException {
        try (WavWriter out = new WavWriter(target)) {
            out.write(pcm, pcm.length);
            out.commit();
        }
    }
}
