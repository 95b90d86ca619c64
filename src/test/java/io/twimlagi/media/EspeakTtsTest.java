package io.twimlagi.media;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Needs Debian's espeak-ng (installed by scripts/install-deps). */
class EspeakTtsTest {
    final EspeakTts tts;

    EspeakTtsTest() throws MediaException {
        tts = new EspeakTts("espeak-ng");
    }

    @Test
    void mapsTwilioVoicesAndLanguages() {
        assertEquals("en-us+m3", tts.espeakVoice("man", "en-US"));
        assertEquals("en-us+f3", tts.espeakVoice("woman", "en-US"));
        assertEquals("en-gb+f3", tts.espeakVoice("Polly.Amy", "en-GB"));
        assertEquals("fr-fr+f3", tts.espeakVoice("Polly.Celine-Neural", "fr-FR"));
        assertEquals("de+m3", tts.espeakVoice("Google.de-DE-Standard-B", "en-US"));
        assertEquals("fr-fr", tts.espeakLanguage("fr-CA"));
        assertEquals("en-us", tts.espeakLanguage("xx-YY"));
    }

    @Test
    void synthesizesSpeechFromStdinWithoutAShell() throws Exception {
        byte[] wav = tts.synthesize("-v xx $(touch /tmp/espeak-pwned) `id`; hello", "man", "en-US");
        short[] pcm = AudioConverter.decodeToMono8k(wav);
        assertTrue(pcm.length > 8000, "a few seconds of speech: " + pcm.length);
        assertTrue(!new java.io.File("/tmp/espeak-pwned").exists());
    }
}
