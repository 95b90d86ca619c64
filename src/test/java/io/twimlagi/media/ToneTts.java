package io.twimlagi.media;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A stand-in TTS for unit tests: a short 16 kHz tone per text; records what it was asked to say. */
public final class ToneTts implements Tts {
    public final List<String> spoken = Collections.synchronizedList(new ArrayList<>());

    @Override
    public byte[] synthesize(String text, String voice, String language) {
        spoken.add(text);
        return wav(16000, 1, 0.2, 440);
    }

    @Override
    public String cacheKey(String voice, String language) {
        return "tone:" + voice + ":" + language;
    }

    /** A sine WAV at any rate/channel count. */
    public static byte[] wav(int rate, int channels, double seconds, double hz) {
        int frames = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * hz * i / rate));
            for (int c = 0; c < channels; c++) b.putShort(v);
        }
        AudioFormat f = new AudioFormat(rate, 16, channels, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), f, frames)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
