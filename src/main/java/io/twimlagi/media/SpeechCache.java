package io.twimlagi.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Synthesized prompts on disk, keyed by engine + voice + language + text; concurrent calls share one synthesis. */
public final class SpeechCache {
    private final Tts tts;
    private final MediaStore store;
    private final SingleFlight flights = new SingleFlight();

    public SpeechCache(Tts tts, MediaStore store) {
        this.tts = tts;
        this.store = store;
    }

    /** The prompt's name for Asterisk (no extension), synthesizing it on first use. */
    public String prompt(String text, String voice, String language) throws MediaException {
        String key = MediaStore.sha256(tts.cacheKey(voice, language), text);
        try {
            Path file = store.wavFile("tts", key);
            if (!Files.exists(file)) {
                flights.run(key, () -> {
                    if (!Files.exists(file)) AudioConverter.toAsteriskWav(tts.synthesize(text, voice, language), file);
                });
            }
            return store.asteriskName(file);
        } catch (IOException e) {
            throw new MediaException(12400, "media folder: " + e.getMessage(), e);
        }
    }
}
