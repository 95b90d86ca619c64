package io.twimlagi.media;

/** A text-to-speech engine. Implementations never pass text through a shell. */
public interface Tts {
    /**
     * Synthesizes {@code text} and returns audio any {@link AudioConverter} input accepts (a WAV file's bytes).
     *
     * @param voice    Twilio's voice attribute (man, woman, alice, Polly.*, Google.*)
     * @param language Twilio's language attribute (en-US, fr-FR...)
     */
    byte[] synthesize(String text, String voice, String language) throws MediaException;

    /** Names the engine and its voice choice for the cache key: different engines never share a file. */
    String cacheKey(String voice, String language);
}
