package io.twimlagi.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        AudioConverter.toAsteriskWav(ToneTts.wav(16000, 1, 0.25, 400), target);
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
}
