package io.twimlagi.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioConverterTest {
    @TempDir
    Path dir;

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += (double) s[i] * s[i];
        return Math.sqrt(sum / (to - from));
    }

    @Test
    void stereo44kBecomes8kMonoWithTheToneKept() throws Exception {
        short[] out = AudioConverter.decodeToMono8k(ToneTts.wav(44100, 2, 1.0, 440));
        assertTrue(Math.abs(out.length - 8000) <= 2, "1 s at 8 kHz: " + out.length);
        double level = rms(out, 100, out.length - 100);
        assertTrue(level > 5000 && level < 6200, "a 440 Hz sine of amplitude 8000 keeps its RMS ~5657: " + level);
    }

    @Test
    void toneAboveTheNewNyquistIsFilteredNotAliased() throws Exception {
        short[] out = AudioConverter.decodeToMono8k(ToneTts.wav(48000, 1, 1.0, 6000));
        assertTrue(rms(out, 100, out.length - 100) < 600, "6 kHz cannot exist at 8 kHz sampling");
    }

    @Test
    void muLawWavIsDecoded() throws Exception {
        AudioInputStream pcm = AudioSystem.getAudioInputStream(new ByteArrayInputStream(ToneTts.wav(8000, 1, 0.5, 300)));
        AudioInputStream ulaw = AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, pcm);
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        AudioSystem.write(ulaw, AudioFileFormat.Type.WAVE, wav);
        short[] out = AudioConverter.decodeToMono8k(wav.toByteArray());
        assertEquals(4000, out.length);
        assertTrue(rms(out, 0, out.length) > 4000);
    }

    @Test
    void writesWhatFormatWavPlays() throws Exception {
        Path target = dir.resolve("x.wav");
        AudioConverter.toAsteriskWav(ToneTts.wav(16000, 1, 0.25, 400), "audio/wav", target);
        AudioFileFormat f = AudioSystem.getAudioFileFormat(target.toFile());
        assertEquals(8000f, f.getFormat().getSampleRate());
        assertEquals(16, f.getFormat().getSampleSizeInBits());
        assertEquals(1, f.getFormat().getChannels());
        assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getFormat().getEncoding());
        assertEquals(44 + 2000 * 2, Files.size(target));
    }

    @Test
    void garbageIsAClearError() {
        MediaException e = assertThrows(MediaException.class,
                () -> AudioConverter.decodeToMono8k("<html>not audio</html>".getBytes()));
        assertEquals(13420, e.code());
    }

    static byte[] resource(String name) throws Exception {
        try (var in = Objects.requireNonNull(AudioConverterTest.class.getResourceAsStream("/media/" + name), name)) {
            return in.readAllBytes();
        }
    }

    /** The encoder's dominant frequency, by counting zero crossings. */
    static double frequency(short[] s, int from, int to) {
        int crossings = 0;
        for (int i = from + 1; i < to; i++) if ((s[i - 1] < 0) != (s[i] < 0)) crossings++;
        return crossings / 2.0 / ((to - from) / 8000.0);
    }

    /** 1 s of a 440 Hz sine of amplitude 8000, encoded by lame 3.100 (see src/test/resources/media/README.md). */
    @ParameterizedTest
    @CsvSource({"tone-44k-stereo-96k.mp3", "tone-22k-mono-32k.mp3", "tone-48k-mono-vbr-id3.mp3"})
    void mp3IsDecodedTo8kMonoWithTheToneKept(String name) throws Exception {
        byte[] mp3 = resource(name);
        for (String type : new String[] {"audio/mpeg", null, "application/octet-stream"}) {
            short[] out = AudioConverter.decodeToMono8k(mp3, type);
            // 1 s, plus the encoder delay and padding (under 0.2 s at these rates)
            assertTrue(out.length >= 7900 && out.length <= 9700, name + ": " + out.length);
            double level = rms(out, 2000, 6000);
            assertTrue(level > 5000 && level < 6300, name + ": RMS of the sine ~5657: " + level);
            double hz = frequency(out, 2000, 6000);
            assertTrue(Math.abs(hz - 440) < 10, name + ": " + hz + " Hz");
        }
    }

    @Test
    void mp3IsWrittenAsAsteriskWav() throws Exception {
        Path target = dir.resolve("m.wav");
        AudioConverter.toAsteriskWav(resource("tone-44k-stereo-96k.mp3"), "audio/mpeg", target);
        AudioFileFormat f = AudioSystem.getAudioFileFormat(target.toFile());
        assertEquals(8000f, f.getFormat().getSampleRate());
        assertEquals(1, f.getFormat().getChannels());
        assertEquals(16, f.getFormat().getSampleSizeInBits());
    }

    @Test
    void truncatedMp3StillPlaysWhatItHas() throws Exception {
        byte[] mp3 = resource("tone-44k-stereo-96k.mp3");
        short[] out = AudioConverter.decodeToMono8k(Arrays.copyOf(mp3, mp3.length / 2 + 7), "audio/mpeg");
        assertTrue(out.length > 3000 && out.length < 6000, "about half: " + out.length);
    }

    private static byte[] rawG711(AudioFormat.Encoding enc, byte[] wav) throws Exception {
        AudioInputStream pcm = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav));
        return AudioSystem.getAudioInputStream(enc, pcm).readAllBytes();   // no header: the bare bytes
    }

    @ParameterizedTest
    @CsvSource({"audio/ulaw", "audio/basic", "audio/x-mulaw", "audio/PCMU", "AUDIO/BASIC; rate=8000"})
    void headerlessMuLawIsRaw8kMono(String type) throws Exception {
        byte[] raw = rawG711(AudioFormat.Encoding.ULAW, ToneTts.wav(8000, 1, 0.5, 300));
        assertEquals(4000, raw.length);
        short[] out = AudioConverter.decodeToMono8k(raw, type);
        assertEquals(4000, out.length);
        assertTrue(rms(out, 0, out.length) > 5300, "RMS ~5657: " + rms(out, 0, out.length));
        assertTrue(Math.abs(frequency(out, 0, out.length) - 300) < 5);
    }

    @ParameterizedTest
    @CsvSource({"audio/alaw", "audio/x-alaw", "audio/PCMA"})
    void headerlessALawIsRaw8kMono(String type) throws Exception {
        byte[] raw = rawG711(AudioFormat.Encoding.ALAW, ToneTts.wav(8000, 1, 0.5, 300));
        short[] out = AudioConverter.decodeToMono8k(raw, type);
        assertEquals(4000, out.length);
        assertTrue(rms(out, 0, out.length) > 5300);
    }

    @Test
    void g711TablesMatchTheJdkDecoder() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        for (AudioFormat.Encoding enc : new AudioFormat.Encoding[] {AudioFormat.Encoding.ULAW, AudioFormat.Encoding.ALAW}) {
            AudioFormat g711 = new AudioFormat(enc, 8000, 8, 1, 1, 8000, false);
            AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(all), g711, 256);
            ByteArrayOutputStream wav = new ByteArrayOutputStream();
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav);
            short[] viaJdk = AudioConverter.decodeToMono8k(wav.toByteArray(), null);
            short[] ours = AudioConverter.decodeToMono8k(all, enc == AudioFormat.Encoding.ULAW ? "audio/ulaw" : "audio/alaw");
            assertArrayEquals(viaJdk, ours, enc.toString());
        }
    }

    @Test
    void muLawSilenceIsNotMistakenForMp3() throws Exception {
        byte[] silence = new byte[800];
        Arrays.fill(silence, (byte) 0xFF);       // μ-law zero; also an MP3 frame-sync pattern
        silence[1] = (byte) 0xFB;                // even a plausible MPEG-1 layer III header
        silence[2] = (byte) 0x90;
        short[] out = AudioConverter.decodeToMono8k(silence, "audio/x-mulaw");
        assertEquals(800, out.length);
    }

    @Test
    void containerWinsOverTheContentType() throws Exception {
        short[] out = AudioConverter.decodeToMono8k(ToneTts.wav(16000, 1, 0.5, 440), "audio/ulaw");
        assertEquals(4000, out.length);
        assertTrue(rms(out, 100, 3900) > 5000);
        short[] mp3 = AudioConverter.decodeToMono8k(resource("tone-22k-mono-32k.mp3"), "audio/basic");
        assertTrue(rms(mp3, 2000, 6000) > 5000);
    }

    @Test
    void headerlessBodyWithAnotherTypeIsAnError() {
        byte[] raw = new byte[4000];
        Arrays.fill(raw, (byte) 0x55);
        for (String type : new String[] {null, "audio/wav", "audio/mpeg"}) {
            MediaException e = assertThrows(MediaException.class, () -> AudioConverter.decodeToMono8k(raw, type));
            assertEquals(13420, e.code(), String.valueOf(type));
        }
    }

    @Test
    void pseudoTypesFromFileNames() {
        for (String n : new String[] {"a.ulaw", "/x/B.MULAW", "c.pcmu", "d.ul", "https://h/p/e.ulaw?x=1"}) {
            assertEquals("audio/ulaw", AudioConverter.typeForFileName(n), n);
        }
        for (String n : new String[] {"a.alaw", "b.PCMA", "c.al"}) assertEquals("audio/alaw", AudioConverter.typeForFileName(n), n);
        for (String n : new String[] {"a.wav", "a.mp3", "ulaw", "dir.ulaw/file", ""}) assertNull(AudioConverter.typeForFileName(n), n);
        assertNull(AudioConverter.typeForFileName(null));
        assertTrue(AudioConverter.isRawG711("audio/basic"));
        assertTrue(!AudioConverter.isRawG711("audio/mpeg"));
    }

    @Test
    void mp3FrameHeaderParsing() {
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes
        assertEquals(417, AudioConverter.mp3FrameLength(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0}, 0));
        // MPEG-2 layer III, 32 kbit/s, 22.05 kHz: 104 bytes
        assertEquals(104, AudioConverter.mp3FrameLength(new byte[] {(byte) 0xFF, (byte) 0xF3, (byte) 0x40, 0}, 0));
        assertEquals(-1, AudioConverter.mp3FrameLength(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0}, 0));
        assertEquals(-1, AudioConverter.mp3FrameLength(new byte[] {(byte) 0xFF, (byte) 0xFB}, 0));
    }

    @Test
    void streamingResamplerMatchesOneShot() throws Exception {
        float[] in = new float[44100];
        for (int i = 0; i < in.length; i++) in[i] = (float) (8000 * Math.sin(2 * Math.PI * 440 * i / 44100.0) + 50 * Math.sin(i));
        short[] oneShot = Resampler.resample(in, 44100);
        Resampler.Collected out = new Resampler.Collected();
        Resampler rs = new Resampler(44100, out);
        for (int from = 0; from < in.length; from += 333) {
            int n = Math.min(333, in.length - from);
            rs.push(Arrays.copyOfRange(in, from, from + n), n);
        }
        assertEquals(8000, rs.finish());
        short[] chunked = out.toArray();
        assertArrayEquals(oneShot, chunked);
        assertEquals(8000, chunked.length);
    }

    @Test
    void tooLongIsAnError() {
        byte[] raw = new byte[AudioConverter.MAX_SECONDS * AudioConverter.RATE + 1];
        MediaException e = assertThrows(MediaException.class, () -> AudioConverter.decodeToMono8k(raw, "audio/ulaw"));
        assertEquals(13420, e.code());
    }
}
