package io.twimlagi.media;

import io.twimlagi.util.SingleFlight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Synthesized prompts on disk, keyed by engine + voice + language + text; concurrent calls share one synthesis.
 * Files count against the {@link MediaCache} budget; an evicted prompt is synthesized again on its next use.
 */
public final class SpeechCache {
    private final Tts tts;
    private final MediaStore store;
    private final MediaCache cache;
    private final SingleFlight<MediaException> flights = new SingleFlight<>(MediaException.class,
            e -> new MediaException(12400, String.valueOf(e), e));

    public SpeechCache(Tts tts, MediaStore store, MediaCache cache) {
        this.tts = tts;
        this.store = store;
        this.cache = cache;
    }

    /** Without a disk budget (tests). */
    public SpeechCache(Tts tts, MediaStore store) {
        this(tts, store, MediaCache.unbounded());
    }

    /** The prompt's name for Asterisk (no extension), synthesizing it on first use. */
    public String prompt(String text, String voice, String language) throws MediaException {
        String key = MediaStore.sha256(tts.cacheKey(voice, language), text);
        try {
            Path file = store.wavFile("tts", key);
            if (Files.exists(file)) {
                cache.used(file);
            } else {
                flights.run(key, () -> {
                    if (!Files.exists(file)) {
                        AudioConverter.toAsteriskWav(tts.synthesize(text, voice, language), "audio/wav", file);
                        cache.added(file);
                    }
                    return file;
                });
            }
            return store.asteriskName(file);
        } catch (IOException e) {
            throw new MediaException(12400, "media folder: " + e.getMessage(), e);
        }
    }
}
