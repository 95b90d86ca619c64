package io.twimlagi.dial;

import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.config.Domain;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.recording.RecordingClosure;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.recording.TestWavs;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code <Conference record="record-from-start">}: Asterisk closes the conference's recording on its own thread
 * after the conference ended, and says so by renaming it to its name; the last participant out finishes it then.
 */
class ConferenceRecordingTest {
    static final String XML = "<Dial><Conference record=\"record-from-start\" trim=\"do-not-trim\">room</Conference>"
            + "</Dial>";

    @TempDir
    Path media;
    final FakeCall call = new FakeCall();
    RecordingStore store;
    final List<Path> stillWaits = new ArrayList<>();
    /** What the fake file system watch answers; null = the real one. */
    RecordingClosure.Renamed renamed;

    @BeforeEach
    void setUp() throws IOException {
        Path dir = media.toAbsolutePath().normalize();
        store = new RecordingStore(dir, dir.toString());
    }

    DialExecutor executor() {
        RecordingClosure closure = new RecordingClosure() {
            @Override
            public Renamed awaitRenamed(Path written, Path done, Duration bound) {
                assertEquals(Recorder.RENAME_WAIT, bound);
                return renamed != null ? renamed : super.awaitRenamed(written, done, bound);
            }

            @Override
            public void awaitStill(Path file) {
                stillWaits.add(file);
                super.awaitStill(file);
            }
        };
        Recorder recorder = new Recorder(store, null, "https://twiml.example.com", closure);
        return DialKit.executor(new DialSessions(null, null), recorder, null, null);
    }

    CallContext ctx() {
        return new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
                new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr/main.xml",
                        HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));
    }

    static String sid(ConferenceRequest r) {
        String name = Path.of(r.recordFile()).getFileName().toString();
        return name.substring(0, name.length() - ".wav".length());
    }

    @Test
    void theRecordingIsFinishedOnceAsteriskRenamedIt() throws Exception {
        CountDownLatch in = new CountDownLatch(1);
        CountDownLatch left = new CountDownLatch(1);
        CompletableFuture<Void> asterisk = new CompletableFuture<>();
        call.duringConference = r -> {
            in.countDown();
            Path written = Path.of(ConferenceRequest.writtenAs(r.recordFile()));
            try {
                TestWavs.write(written, TestWavs.tone(2.0, 440)); // the conference, under the temporary name
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Asterisk's recorder closes the file after the conference ended, on its own thread
            CompletableFuture.runAsync(() -> {
                try {
                    left.await();
                    Files.move(written, Path.of(r.recordFile()));
                    asterisk.complete(null);
                } catch (Exception e) {
                    asterisk.completeExceptionally(e);
                }
            });
        };
        DialExecutor executor = executor();
        CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
            try {
                executor.execute(DialExecutorTest.dial(XML), ctx());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the participant is out and waits for the recording: only then does "Asterisk" close it
        assertTrue(in.await(10, TimeUnit.SECONDS));
        assertFalse(completesWithin(joined, Duration.ofMillis(300)), "finished before the file was closed");
        left.countDown();
        joined.get(10, TimeUnit.SECONDS);
        asterisk.get(1, TimeUnit.SECONDS);
        String sid = sid(call.lastConference);
        Path served = store.wav(sid).orElseThrow(() -> new AssertionError("not finished: " + sid));
        assertEquals(16000, TestWavs.readCanonical(served).length, "the whole 2 s");
        assertEquals(List.of(), stillWaits, "no polling when the rename came");
    }

    @Test
    void theRecordFileIsTheFinalNameAndAsteriskWritesAnother() throws Exception {
        renamed = RecordingClosure.Renamed.NEVER_WRITTEN;
        executor().execute(DialExecutorTest.dial(XML), ctx());
        ConferenceRequest r = call.lastConference;
        assertEquals(media.toAbsolutePath().normalize().resolve("recordings/" + sid(r) + ".wav").toString(),
                r.recordFile());
        assertEquals(r.recordFile().replace(".wav", ".part.wav"), ConferenceRequest.writtenAs(r.recordFile()));
        assertFalse(store.exists(sid(r)), "nothing recorded: nothing served");
        assertEquals(List.of(), stillWaits);
    }

    @Test
    void withoutTheRenameTheTemporaryFileIsTakenOnceItStopsGrowing() throws Exception {
        renamed = RecordingClosure.Renamed.NOT_CLOSED; // Asterisk's record command failed
        call.duringConference = r -> {
            try {
                TestWavs.write(Path.of(ConferenceRequest.writtenAs(r.recordFile())), TestWavs.tone(1.0, 440));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        executor().execute(DialExecutorTest.dial(XML), ctx());
        ConferenceRequest r = call.lastConference;
        Path written = Path.of(ConferenceRequest.writtenAs(r.recordFile()));
        assertEquals(List.of(written), stillWaits);
        assertFalse(Files.exists(written));
        assertTrue(store.exists(sid(r)), "finished and served under its sid");
        assertEquals(8000, TestWavs.readCanonical(store.wav(sid(r)).orElseThrow()).length);
    }

    static boolean completesWithin(CompletableFuture<?> f, Duration d) throws Exception {
        try {
            f.get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }
}
