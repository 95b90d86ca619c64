package io.twimlagi.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechCacheTest {
    @TempDir
    Path dir;

    @Test
    void promptsShareTheBudgetAndAnEvictedOneIsSynthesizedAgain() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        // ToneTts gives 0.2 s: 1600 samples, 3244 bytes as 8 kHz WAV; room for two
        MediaCache cache = new MediaCache(store, 7000);
        ToneTts tts = new ToneTts();
        SpeechCache speech = new SpeechCache(tts, store, cache);
        String one = speech.prompt("one", "man", "en-US");
        speech.prompt("two", "man", "en-US");
        speech.prompt("one", "man", "en-US");          // a hit: "one" is now the most recently used
        assertEquals(List.of("one", "two"), tts.spoken);
        speech.prompt("three", "man", "en-US");        // evicts "two"
        assertEquals(2, cache.files().size());
        assertTrue(Files.exists(dir.resolve(one.substring("/ast/".length()) + ".wav")));
        speech.prompt("two", "man", "en-US");          // gone: synthesized again
        assertEquals(List.of("one", "two", "three", "two"), tts.spoken);
        assertTrue(cache.totalBytes() <= 7000);
    }

    @Test
    void existingPromptsCountAfterARestart() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        new SpeechCache(new ToneTts(), store).prompt("hello", "woman", "en-US");
        MediaCache cache = new MediaCache(store, 1 << 20);
        assertEquals(3244, cache.totalBytes());
        ToneTts tts = new ToneTts();
        new SpeechCache(tts, store, cache).prompt("hello", "woman", "en-US");
        assertFalse(tts.spoken.contains("hello"), "still on disk: not synthesized again");
    }
}
