package io.twimlagi.recording;

import io.twimlagi.twilio.Sids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.twimlagi.recording.TestWavs.concat;
import static io.twimlagi.recording.TestWavs.silence;
import static io.twimlagi.recording.TestWavs.tone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingStoreTest {
    @TempDir
    Path media;

    RecordingStore store() throws Exception {
        return new RecordingStore(media, "/chroot/var/lib/twiml-agi/");
    }

    @Test
    void createGivesAFreshSidAndTheNameAsteriskSees() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording a = store.create();
        RecordingStore.Recording b = store.create();
        assertTrue(Sids.isValid("RE", a.sid()), a.sid());
        assertNotEquals(a.sid(), b.sid());
        assertEquals(media.toAbsolutePath().resolve("recordings/" + a.sid() + ".wav"), a.wavFile());
        assertTrue(Files.isDirectory(a.wavFile().getParent()));
        assertEquals("/chroot/var/lib/twiml-agi/recordings/" + a.sid(), a.asteriskName());
        TestWavs.write(a.wavFile(), tone(1.0, 440)); // Asterisk still writing
        assertFalse(store.exists(a.sid()), "not served before finish");
        assertEquals(Optional.empty(), store.mp3(a.sid()));
        store.finish(a, true);
        assertTrue(store.exists(a.sid()), "served once finished");
    }

    @Test
    void trimKeepsTheToneWithAMarginAndMovesTheFileToWhereItIsServed() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        short[] tone = tone(1.0, 440);
        TestWavs.write(r.wavFile(), concat(silence(1.0, 1), tone, silence(1.0, 2)));

        RecordingStore.Result result = store.finish(r, true);

        assertFalse(result.empty());
        assertEquals(1, result.durationSeconds());
        assertEquals(r, result.recording());
        Path served = store.wav(r.sid()).orElseThrow();
        assertEquals(media.toAbsolutePath().resolve("recordings/" + r.sid() + ".wav"), served);
        short[] kept = TestWavs.readCanonical(served);
        // 1 s of tone + 100 ms each side, give or take one 20 ms frame
        assertTrue(Math.abs(kept.length - 9600) <= 160, "samples kept: " + kept.length);
        int toneAt = (kept.length - 8000) / 2; // the margin kept before the tone
        short[] middle = java.util.Arrays.copyOfRange(kept, toneAt + 160, toneAt + 7840);
        assertArrayEquals(java.util.Arrays.copyOfRange(tone, 160, 7840), middle, "the tone is intact");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(served.toFile())) {
            assertEquals(8000f, in.getFormat().getSampleRate());
            assertEquals(kept.length, in.getFrameLength(), "a WAV other readers accept");
        }
    }

    @Test
    void withoutTrimTheWholeRecordingIsKept() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        short[] all = concat(silence(1.0, 1), tone(1.0, 440), silence(1.0, 2));
        TestWavs.write(r.wavFile(), all);
        RecordingStore.Result result = store.finish(r, false);
        assertFalse(result.empty());
        assertEquals(3, result.durationSeconds());
        assertArrayEquals(all, TestWavs.readCanonical(store.wav(r.sid()).orElseThrow()));
    }

    @Test
    void allSilentIsEmptyWhenTrimmingButNotWithoutTrim() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), silence(3.0, 7));
        RecordingStore.Result trimmed = store.finish(r, true);
        assertTrue(trimmed.empty());
        assertEquals(0, trimmed.durationSeconds());

        RecordingStore.Recording r2 = store.create();
        TestWavs.write(r2.wavFile(), new short[3 * 8000]); // digital silence, 3 s
        RecordingStore.Result untrimmed = store.finish(r2, false);
        assertFalse(untrimmed.empty(), "a long silent recording is not empty without trim");
        assertEquals(3, untrimmed.durationSeconds());
    }

    @Test
    void veryShortIsEmptyWithoutTrim() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), tone(0.1, 440));
        RecordingStore.Result result = store.finish(r, false);
        assertTrue(result.empty());
        assertEquals(0, result.durationSeconds());
    }

    @Test
    void headerOnlyIsEmpty() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), new short[0]);
        assertTrue(store.finish(r, true).empty());
        RecordingStore.Recording r2 = store.create();
        TestWavs.write(r2.wavFile(), new short[0]);
        assertTrue(store.finish(r2, false).empty());
    }

    @Test
    void missingFileIsEmpty() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        RecordingStore.Result result = store.finish(r, true);
        assertTrue(result.empty());
        assertEquals(0, result.durationSeconds());
        assertFalse(store.exists(r.sid()));
    }

    @Test
    void notAWavIsEmptyAndNotServed() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        Files.writeString(r.wavFile(), "this is not a RIFF file at all, just text");
        assertTrue(store.finish(r, true).empty());
        assertFalse(store.exists(r.sid()));
        assertFalse(Files.exists(r.wavFile()));
        assertTrue(Files.exists(media.resolve("recordings/" + r.sid() + ".invalid")), "kept aside for diagnosis");
    }

    @Test
    void sizesNeverUpdatedAreTakenFromTheFileLengthAndRepaired() throws Exception {
        for (long bogus : new long[] {0L, 0xFFFFFFFFL, 1_000_000_000L}) {
            for (boolean trim : new boolean[] {false, true}) {
                RecordingStore store = store();
                RecordingStore.Recording r = store.create();
                short[] all = concat(tone(2.0, 300), silence(0.5, 3));
                TestWavs.write(r.wavFile(), all, bogus, bogus);
                RecordingStore.Result result = store.finish(r, trim);
                assertFalse(result.empty(), "bogus=" + bogus + " trim=" + trim);
                assertEquals(trim ? 2 : 3, result.durationSeconds(), "bogus=" + bogus + " trim=" + trim);
                short[] kept = TestWavs.readCanonical(store.wav(r.sid()).orElseThrow());
                if (!trim) assertArrayEquals(all, kept);
            }
        }
    }

    @Test
    void oddTrailingByteAndExtraChunksAreHandled() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), tone(1.5, 440), 0, 0);
        Files.write(r.wavFile(), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND); // half a sample
        RecordingStore.Result result = store.finish(r, false);
        assertEquals(2, result.durationSeconds());
        assertEquals(12000, TestWavs.readCanonical(store.wav(r.sid()).orElseThrow()).length);
    }

    @Test
    void durationIsRoundedToWholeSecondsAndAtLeastOne() throws Exception {
        RecordingStore store = store();
        double[][] cases = {{1.4, 1}, {1.6, 2}, {0.3, 1}, {2.5, 3}};
        for (double[] c : cases) {
            RecordingStore.Recording r = store.create();
            TestWavs.write(r.wavFile(), tone(c[0], 440));
            assertEquals((int) c[1], store.finish(r, false).durationSeconds(), "seconds " + c[0]);
        }
    }

    @Test
    void finishingTwiceOnlyMeasures() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), concat(silence(1.0, 1), tone(2.0, 440), silence(1.0, 2)));
        RecordingStore.Result first = store.finish(r, true);
        RecordingStore.Result again = store.finish(r, true);
        assertEquals(first, again);
        assertEquals(2, again.durationSeconds());
    }

    @Test
    void malformedSidsNeverTouchTheFileSystem() throws Exception {
        RecordingStore store = store();
        Files.writeString(media.resolve("secret.wav"), "secret");
        for (String sid : new String[] {"../x", "RE123", "../secret", "RE" + "0".repeat(31) + "/",
                "RE../../../../secret", "re" + "0".repeat(32), "RE" + "0".repeat(33), "", "RE" + "g".repeat(32)}) {
            assertFalse(RecordingStore.isValidSid(sid), sid);
            assertEquals(Optional.empty(), store.wav(sid), sid);
            assertEquals(Optional.empty(), store.mp3(sid), sid);
            assertFalse(store.exists(sid), sid);
        }
        assertThrows(NullPointerException.class, () -> new RecordingStore.Recording(null, media, "x"));
        RecordingStore.Recording forged = new RecordingStore.Recording("../secret", media.resolve("x.wav"), "x");
        assertThrows(IllegalArgumentException.class, () -> store.finish(forged, true));
        assertTrue(RecordingStore.isValidSid("RE" + "0123456789abcdef".repeat(2)));
    }

    @Test
    void urlIsPublicUrlSlashRecordingsSlashSid() {
        assertEquals("http://h:8089/Recordings/RE1", RecordingStore.url("http://h:8089", "RE1"));
        assertEquals("http://h:8089/Recordings/RE1", RecordingStore.url("http://h:8089/", "RE1"));
    }

    @Test
    void unreadableDirectoryFailsLoudly() throws Exception {
        RecordingStore store = store();
        RecordingStore.Recording r = store.create();
        Files.createDirectories(r.wavFile()); // a directory where the file should be: not a file
        assertTrue(store.finish(r, true).empty());
        RecordingStore.Recording r2 = new RecordingStore.Recording(Sids.newRecordingSid(),
                media.resolve("no/such/dir/x.wav"), "x");
        assertTrue(store.finish(r2, true).empty());
        RecordingStore.Recording r3 = new RecordingStore.Recording(Sids.newRecordingSid(),
                media.resolve("elsewhere/x.wav"), "x");
        TestWavs.write(r3.wavFile(), tone(1, 440), 0, 0);
        Files.createDirectories(media.resolve("recordings/" + r3.sid() + ".wav/blocker")); // cannot be replaced
        assertThrows(UncheckedIOException.class, () -> store.finish(r3, false));
    }

    static boolean lameInstalled() {
        return RecordingStore.findExecutable("lame").isPresent();
    }

    static void assertMp3(byte[] b) {
        assertTrue(b.length > 100, "mp3 size " + b.length);
        boolean id3 = b[0] == 'I' && b[1] == 'D' && b[2] == '3';
        boolean sync = (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0;
        assertTrue(id3 || sync, "starts with an ID3 tag or an MPEG frame sync");
    }

    /** lame behind a script that appends a line to {@code log} each time it runs: the encodes are counted. */
    Path countingLame(Path log) throws Exception {
        Path lame = RecordingStore.findExecutable("lame").orElseThrow();
        Path wrapper = media.resolve("counting-lame");
        Files.writeString(wrapper, "#!/bin/sh\necho run >> '" + log + "'\nexec '" + lame + "' \"$@\"\n");
        assertTrue(wrapper.toFile().setExecutable(true));
        return wrapper;
    }

    static long lines(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    @Test
    void mp3IsEncodedOnceWithLameAndCached() throws Exception {
        assertTrue(lameInstalled(), "lame not installed: scripts/install-deps installs it");
        Path encodes = media.resolve("encodes.log");
        RecordingStore store = new RecordingStore(media, "/ast", countingLame(encodes).toString());
        assertTrue(store.mp3Available());
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), concat(silence(0.5, 1), tone(2.0, 440), silence(0.5, 2)));
        store.finish(r, true);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<Path>>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) all.add(pool.submit(() -> store.mp3(r.sid())));
            Set<Path> paths = new HashSet<>();
            for (Future<Optional<Path>> f : all) paths.add(f.get().orElseThrow());
            assertEquals(1, paths.size());
            Path mp3 = paths.iterator().next();
            assertEquals(media.toAbsolutePath().resolve("recordings/" + r.sid() + ".mp3"), mp3);
            assertMp3(Files.readAllBytes(mp3));
            Path decoded = media.resolve("decoded.wav");
            Process p = new ProcessBuilder("lame", "--quiet", "--decode", mp3.toString(), decoded.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertEquals(0, p.waitFor(), "lame decodes what it encoded");
            try (AudioInputStream in = AudioSystem.getAudioInputStream(decoded.toFile())) {
                double seconds = in.getFrameLength() / in.getFormat().getFrameRate();
                assertTrue(Math.abs(seconds - 2.2) < 0.15, "decoded length " + seconds);
            }
            assertEquals(1, lines(encodes), "four concurrent requests share one encode");
            byte[] encoded = Files.readAllBytes(mp3);
            assertEquals(mp3, store.mp3(r.sid()).orElseThrow());
            assertEquals(1, lines(encodes), "cached, not re-encoded");
            assertArrayEquals(encoded, Files.readAllBytes(mp3));
            try (var dir = Files.list(mp3.getParent())) {
                assertTrue(dir.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp files left");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Optional.empty(), store.mp3(Sids.newRecordingSid()), "unknown sid");
    }

    @Test
    void withoutLameThereIsNoMp3() throws Exception {
        RecordingStore store = new RecordingStore(media, "/ast", "twiml-agi-no-such-lame");
        assertFalse(store.mp3Available());
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), tone(1.0, 440));
        store.finish(r, true);
        assertTrue(store.exists(r.sid()));
        assertEquals(Optional.empty(), store.mp3(r.sid()));
        RecordingStore absolute = new RecordingStore(media, "/ast", "/nonexistent/bin/lame");
        assertFalse(absolute.mp3Available());
        assertEquals(Optional.empty(), absolute.mp3(r.sid()));
    }

    @Test
    void aFailingEncoderIsAnErrorNotAnEmptyResult() throws Exception {
        Path fake = media.resolve("fake-lame");
        Files.writeString(fake, "#!/bin/sh\necho 'cannot encode' >&2\nexit 3\n");
        assertTrue(fake.toFile().setExecutable(true));
        RecordingStore store = new RecordingStore(media, "/ast", fake.toString());
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), tone(1.0, 440));
        store.finish(r, true);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> store.mp3(r.sid()));
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("cannot encode"),
                e.getMessage());
        assertFalse(Files.exists(media.resolve("recordings/" + r.sid() + ".mp3")));
    }
}
