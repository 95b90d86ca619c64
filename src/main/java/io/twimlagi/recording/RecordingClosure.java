package io.twimlagi.recording;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits until Asterisk is done with a recording file it writes on its own thread (a Dial's MixMonitor, a
 * conference's recorder), so the file is not read before its last frames and header are written.
 * Not final: tests count the waits.
 */
public class RecordingClosure {
    private static final Logger log = LoggerFactory.getLogger(RecordingClosure.class);

    /** How {@link #awaitRenamed} ended. */
    public enum Renamed {
        /** The file appeared under its final name: Asterisk closed it. */
        CLOSED,
        /** Neither name appeared: Asterisk never wrote the file. */
        NEVER_WRITTEN,
        /** Not renamed within the bound (or the folder could not be watched): Asterisk did not say it closed it. */
        NOT_CLOSED
    }

    /** How long the temporary file may take to appear when neither name exists yet (Asterisk opens it). */
    static final Duration START_GRACE = Duration.ofMillis(200);
    private static final long STILL_MAX_NANOS = 2_000_000_000L;
    private static final long STILL_STEP_MILLIS = 100;

    /**
     * Waits, at most {@code bound}, for {@code done} to appear: Asterisk writes {@code written} and renames it to
     * {@code done} once it has closed it. Woken by the file system's events, not by polling. Both files are in
     * one folder.
     */
    public Renamed awaitRenamed(Path written, Path done, Duration bound) {
        Path dir = done.toAbsolutePath().getParent();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE); // before looking: no event is missed
            long start = System.nanoTime();
            long deadline = start + bound.toNanos();
            long graceEnd = start + START_GRACE.toNanos();
            while (true) {
                if (Files.exists(done)) return Renamed.CLOSED; // a rename is atomic: one of the names exists
                boolean writing = Files.exists(written);
                long now = System.nanoTime();
                if (!writing && now - graceEnd >= 0) return Renamed.NEVER_WRITTEN;
                long until = writing ? deadline : Math.min(deadline, graceEnd);
                if (until - now <= 0) return Renamed.NOT_CLOSED;
                WatchKey key = watch.poll(until - now, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (IOException e) {
            log.warn("recording {}: cannot watch {}: {}", done.getFileName(), dir, e.toString());
            return Renamed.NOT_CLOSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Renamed.NOT_CLOSED;
        }
    }

    /**
     * Waits (at most 2 s) until {@code file} stops growing for 100 ms; returns at once when it does not exist
     * (twice in a row). A fallback, by polling, for when no event says Asterisk closed the file: a file read
     * before that could lose its last frames.
     */
    public void awaitStill(Path file) {
        long deadline = System.nanoTime() + STILL_MAX_NANOS;
        long size = -1;
        int missing = 0;
        try {
            while (System.nanoTime() < deadline) {
                long now = Files.exists(file) ? Files.size(file) : -1;
                if (now >= 0 && now == size) return;
                if (now < 0 && ++missing >= 2) return; // never written (a Dial that was not answered)
                size = now;
                Thread.sleep(STILL_STEP_MILLIS);
            }
        } catch (IOException e) {
            log.debug("recording {}: {}", file.getFileName(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
