package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.Walk;
import io.twimlagi.media.ToneTts;
import io.twimlagi.server.CallSession;
import io.twimlagi.twiml.HttpMethod;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call's TwiML replaced while it runs, on a real Asterisk 22 (the mechanism a live update from the REST API and a
 * dequeue use): the playback, key wait or pause in progress stops at once and the new document is heard.
 */
class LiveUpdateIT {
    static Bench bench;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
        bench.app.always("/media/a440.wav", wav(440, 10.0));
        bench.app.always("/media/a440-short.wav", wav(440, 1.0));
        bench.app.always("/media/b1000.wav", wav(1000, 2.0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static MockResponse wav(int hz, double seconds) {
        return new MockResponse().setResponseCode(200).addHeader("Content-Type", "audio/wav")
                .setBody(new Buffer().write(ToneTts.wav(8000, 1, seconds, hz)));
    }

    /**
     * Calls {@code user}, waits until its first document is heard as {@code hz}, then until silence if
     * {@code thenQuiet} (the verb after the tone is running), redirects the call to {@code /update} and checks that
     * the update's 1000 Hz tone is heard promptly and that it ends the call.
     */
    void redirectWhile(String user, String first, boolean thenQuiet) throws Exception {
        bench.app.on(user, "/voice", first);
        bench.app.on(user, "/update", "<Response><Play>/media/b1000.wav</Play><Hangup/></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = Sipp.scenario("answer-wait-bye.xml").service(user)
                    .domain(Bench.DOMAIN).rtpPort(sink.port()).timeout(Duration.ofSeconds(60)).start();
            String callSid = bench.app.awaitHits(user, 1, Duration.ofSeconds(10)).get(0).params().get("CallSid");
            assertTrue(sink.awaitToneMillis(440, 500, 0, Duration.ofSeconds(10)), "the first document plays");
            if (thenQuiet) assertTrue(sink.awaitQuiet(Duration.ofMillis(300), Duration.ofSeconds(10)));
            int mark = sink.sampleCount();
            long asked = System.nanoTime();
            walk(callSid).redirect(new Outcome.Navigate(bench.app.url("/update"), HttpMethod.POST, Map.of()));
            assertTrue(sink.awaitToneMillis(1000, 500, mark, Duration.ofSeconds(10)), "the update is heard");
            long heardMs = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(heardMs < 3000, "the update took over within 3 s, not when the verb ended: " + heardMs + " ms");
            assertTrue(sink.toneMillis(440, mark) < 400, "the first document stopped: "
                    + sink.toneMillis(440, mark) + " ms of it after the update");
            SippResult r = call.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), () -> r + "\n" + r.output());
            assertTrue(r.received().stream().anyMatch(m -> "BYE".equals(m.method())), "the update hung up");
            assertEquals(2, bench.app.hits(user).size(), "the first document, then the update only");
        }
    }

    static Walk walk(String callSid) {
        CallSession session = bench.server.calls().get(callSid);
        assertNotNull(session, "call " + callSid + " is up");
        return session.walk();
    }

    @Test
    void aLoopingPlaybackIsReplaced() throws Exception {
        redirectWhile("upd-play", "<Response><Play loop=\"0\">/media/a440.wav</Play></Response>", false);
    }

    @Test
    void aGatherWaitingForKeysIsReplacedAndItsActionNeverRequested() throws Exception {
        redirectWhile("upd-gather", "<Response><Gather timeout=\"30\" action=\"/gathered\">"
                + "<Play>/media/a440-short.wav</Play></Gather></Response>", true);
        assertEquals(0, bench.app.pathHits("/gathered").size());
    }

    @Test
    void aPauseIsReplaced() throws Exception {
        redirectWhile("upd-pause", "<Response><Play>/media/a440-short.wav</Play><Pause length=\"30\"/>"
                + "<Say>never heard</Say></Response>", true);
    }

    @Test
    void aStoppedCallIsHungUpAtOnce() throws Exception {
        bench.app.on("upd-stop", "/voice", "<Response><Play>/media/a440-short.wav</Play><Pause length=\"30\"/>"
                + "</Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = Sipp.scenario("answer-wait-bye.xml").service("upd-stop")
                    .domain(Bench.DOMAIN).rtpPort(sink.port()).timeout(Duration.ofSeconds(60)).start();
            String callSid = bench.app.awaitHits("upd-stop", 1, Duration.ofSeconds(10)).get(0).params().get("CallSid");
            assertTrue(sink.awaitToneMillis(440, 500, 0, Duration.ofSeconds(10)));
            assertTrue(sink.awaitQuiet(Duration.ofMillis(300), Duration.ofSeconds(10)));
            long asked = System.nanoTime();
            walk(callSid).stop();
            SippResult r = call.get(30, TimeUnit.SECONDS);
            long byeMs = (System.nanoTime() - asked) / 1_000_000;
            assertEquals(0, r.exitCode(), () -> r + "\n" + r.output());
            assertTrue(byeMs < 3000, "BYE right after the stop, not after the 30 s pause: " + byeMs + " ms");
        }
    }
}
