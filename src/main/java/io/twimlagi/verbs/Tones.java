package io.twimlagi.verbs;

import io.twimlagi.media.AudioConverter;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sine tones and silences the server plays (conference beeps, pauses in a hold playlist), written once. */
public final class Tones {
    private Tones() {
    }

    /** {@code tones/<key>.wav}: {@code millis} of {@code hz} (0 = silence) at 8 kHz; its host path. */
    public static Path wav(MediaStore store, String key, int hz, int millis) throws IOException, MediaException {
        return wav(store, key, hz, millis, 10000);
    }

    /** The same with the sine's peak {@code amplitude} (of 32767). */
    public static Path wav(MediaStore store, String key, int hz, int millis, int amplitude)
            throws IOException, MediaException {
        Path file = store.wavFile("tones", key);
        if (!Files.exists(file)) {
            short[] samples = new short[AudioConverter.RATE * millis / 1000];
            for (int i = 0; i < samples.length && hz > 0; i++) {
                samples[i] = (short) (amplitude * Math.sin(2 * Math.PI * hz * i / AudioConverter.RATE));
            }
            AudioConverter.writeWav(samples, file);
        }
        return file;
    }
}
