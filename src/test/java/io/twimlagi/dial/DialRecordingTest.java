package io.twimlagi.dial;

import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.call.DialRecording;
import io.twimlagi.agi.AgiDialer;
import io.twimlagi.config.Domain;
import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialResult;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.recording.RecordingClosure;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookClient;
import io.twimlagi.recording.TestWavs;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dial record: the MixMonitor file in the request (from answer / from ringing, dual as raw stereo) and the
 * recording the action reports once the fake "Asterisk" wrote it. The Asterisk media folder is the host's here.
 */
class DialRecordingTest {
    @TempDir
    Path media;
    final FakeCall call = new FakeCall();
    final CountingClosure closure = new CountingClosure();
    DialExecutor executor;

    /** Counts the fallback waits (polling until the file stops growing). */
    static final class CountingClosure extends RecordingClosure {
        final List<Path> stillWaits = new ArrayList<>();

        @Override
        public void awaitStill(Path file) {
            stillWaits.add(file);
            super.awaitStill(file);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        Path dir = media.toAbsolutePath().normalize();
        Recorder recorder = new Recorder(new RecordingStore(dir, dir.toString()), null, "https://twiml.example.com",
                closure);
        executor = DialKit.executor(new DialSessions(null, null), recorder, null, null);
    }

    CallContext ctx() {
        return new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
                new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr/main.xml",
                        HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));
    }

    Outcome run(String xml) throws Exception {
        return executor.execute(DialExecutorTest.dial(xml), ctx());
    }

    /** {@code seconds} of interleaved 16-bit stereo at 8 kHz: a tone on the left, silence on the right. */
    static byte[] stereo(int seconds) {
        ByteBuffer b = ByteBuffer.allocate(8000 * 4 * seconds).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8000 * seconds; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0))).putShort((short) 0);
        }
        return b.array();
    }

    @Test
    void recordFromAnswerDualWritesRawStereoAndReportsAWav() throws Exception {
        call.duringDial = r -> {
            try {
                Files.write(Path.of(r.recording().asteriskFile()), stereo(2));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Outcome o = run("<Dial action=\"/after\" record=\"record-from-answer-dual\"><Number>+15551230000</Number>"
                + "</Dial>");
        DialRecording rec = call.lastDial.recording();
        assertTrue(rec.dual());
        assertFalse(rec.fromRinging());
        assertTrue(rec.asteriskFile().endsWith(".raw"), rec.asteriskFile());
        assertEquals(rec.asteriskFile() + ",bD", AgiDialer.mixMonitorArgs(rec));

        Map<String, String> p = assertInstanceOf(Outcome.Navigate.class, o).extraParams();
        String sid = p.get("RecordingSid");
        assertTrue(sid.matches("RE[0-9a-f]{32}"), sid);
        assertEquals("https://twiml.example.com/Recordings/" + sid, p.get("RecordingUrl"));
        assertEquals("2", p.get("RecordingDuration"));
        Path wav = media.resolve("recordings").resolve(sid + ".wav");
        assertTrue(Files.isRegularFile(wav), "the raw file became a WAV");
        assertFalse(Files.exists(Path.of(rec.asteriskFile())), "the raw file is gone");
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, h.getShort(22), "two channels");
        assertEquals(8000, h.getInt(24));
        assertEquals(List.of(Path.of(rec.asteriskFile())), closure.stillWaits,
                "StopMixMonitor's reply did not say the file is closed: watched until it stops growing");
    }

    @Test
    void aRecordingClosedByStopMixMonitorIsTakenWithoutWaiting() throws Exception {
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 2, 200, false, null, false, 0, List.of(200), false, true);
        call.duringDial = r -> {
            try {
                TestWavs.write(Path.of(r.recording().asteriskFile()), TestWavs.tone(2.0, 440));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Outcome o = run("<Dial action=\"/after\" record=\"record-from-answer\"><Number>+15551230000</Number></Dial>");
        Map<String, String> p = assertInstanceOf(Outcome.Navigate.class, o).extraParams();
        assertEquals("2", p.get("RecordingDuration"));
        assertEquals(List.of(), closure.stillWaits, "Asterisk closed it: nothing to wait for");
    }

    @Test
    void recordFromRingingIsMixedWav() throws Exception {
        run("<Dial record=\"record-from-ringing\"><Number>+15551230000</Number></Dial>");
        DialRecording rec = call.lastDial.recording();
        assertTrue(rec.fromRinging());
        assertFalse(rec.dual());
        assertTrue(rec.asteriskFile().endsWith(".wav"), rec.asteriskFile());
        assertEquals(rec.asteriskFile(), AgiDialer.mixMonitorArgs(rec));
    }

    @Test
    void nothingRecordedMeansNoRecordingParams() throws Exception {
        Outcome o = run("<Dial action=\"/after\" record=\"true\"><Number>+15551230000</Number></Dial>");
        DialRecording rec = call.lastDial.recording();
        assertFalse(rec.fromRinging());
        assertFalse(rec.dual());
        Map<String, String> p = assertInstanceOf(Outcome.Navigate.class, o).extraParams();
        assertFalse(p.containsKey("RecordingUrl"), p.toString());
        assertEquals("completed", p.get("DialCallStatus"));
    }

    /** Found by ArgumentFuzzTest's kind of input: an unusable recordingStatusCallback made the Dial throw. */
    @Test
    void anUnusableRecordingStatusCallbackStillReportsTheRecording() throws Exception {
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 2, 200, false, null, false, 0, List.of(200), false, true);
        call.duringDial = r -> {
            try {
                TestWavs.write(Path.of(r.recording().asteriskFile()), TestWavs.tone(2.0, 440));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Path dir = media.toAbsolutePath().normalize();
        try (WebhookClient webhooks = new WebhookClient("tok", Duration.ofSeconds(1), Duration.ofSeconds(1));
             CallbackSender sender = new CallbackSender(webhooks)) {
            executor = DialKit.executor(new DialSessions(null, null), new Recorder(new RecordingStore(dir,
                    dir.toString()), sender, "https://twiml.example.com", closure), null, null);
            Outcome o = run("<Dial action=\"/after\" record=\"record-from-answer\" recordingStatusCallback=\"%\">"
                    + "<Number>+15551230000</Number></Dial>");
            assertEquals("2", assertInstanceOf(Outcome.Navigate.class, o).extraParams().get("RecordingDuration"));
        }
    }
}
