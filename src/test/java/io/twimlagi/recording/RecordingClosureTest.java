package io.twimlagi.recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Waiting for Asterisk to close a recording: its rename to the final name is the event. */
class RecordingClosureTest {
    @TempDir
    Path dir;
    final RecordingClosure closure = new RecordingClosure();

    @Test
    void theRenameEndsTheWaitAndAPauseInTheWritingDoesNot() throws Exception {
        Path written = dir.resolve("RE1.part.wav");
        Path done = dir.resolve("RE1.wav");
        Files.write(written, new byte[1000]); // Asterisk writing, then silent for a while (no frames)
        CompletableFuture<RecordingClosure.Renamed> how = CompletableFuture.supplyAsync(
                () -> closure.awaitRenamed(written, done, Duration.ofSeconds(10)));
        // a size that stays still is no sign of the end: the wait goes on until the rename
        assertFalse(completesWithin(how, Duration.ofMillis(400)), "ended before the file was renamed");
        Files.write(written, new byte[2000]);
        Files.move(written, done); // Asterisk's record command
        assertEquals(RecordingClosure.Renamed.CLOSED, how.get(5, TimeUnit.SECONDS));
        assertEquals(2000, Files.size(done));
    }

    @Test
    void aFileAlreadyRenamedIsClosed() throws Exception {
        Path done = dir.resolve("RE2.wav");
        Files.write(done, new byte[10]);
        assertEquals(RecordingClosure.Renamed.CLOSED, closure.awaitRenamed(dir.resolve("RE2.part.wav"), done,
                Duration.ofSeconds(10)));
    }

    @Test
    void aFileNeverWrittenEndsTheWaitSoon() {
        long start = System.nanoTime();
        assertEquals(RecordingClosure.Renamed.NEVER_WRITTEN, closure.awaitRenamed(dir.resolve("RE3.part.wav"),
                dir.resolve("RE3.wav"), Duration.ofSeconds(10)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "not the whole bound");
    }

    @Test
    void aFileStartedLateIsWaitedFor() throws Exception {
        Path written = dir.resolve("RE4.part.wav");
        Path done = dir.resolve("RE4.wav");
        CompletableFuture<RecordingClosure.Renamed> how = CompletableFuture.supplyAsync(
                () -> closure.awaitRenamed(written, done, Duration.ofSeconds(10)));
        Files.write(written, new byte[10]); // within the start grace, or before the wait looked
        Files.move(written, done);
        assertEquals(RecordingClosure.Renamed.CLOSED, how.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aFileNeverRenamedTimesOutAtTheBound() throws Exception {
        Path written = dir.resolve("RE5.part.wav");
        Files.write(written, new byte[10]);
        assertEquals(RecordingClosure.Renamed.NOT_CLOSED, closure.awaitRenamed(written, dir.resolve("RE5.wav"),
                Duration.ofMillis(300)));
    }

    static boolean completesWithin(CompletableFuture<?> f, Duration d) {
        try {
            f.get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
