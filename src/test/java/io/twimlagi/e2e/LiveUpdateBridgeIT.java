package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.engine.Outcome;
import io.twimlagi.server.CallSession;
import io.twimlagi.twiml.HttpMethod;
import okhttp3.mockwebserver.MockResponse;
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
 * A live update of a call that is in a bridge, on a real Asterisk 22: AGI cannot stop Dial or ConfBridge, so the
 * server's Manager Interface ends them (the Dial's legs hung up: CANCEL while ringing, BYE once answered; the
 * participant kicked), the new TwiML is heard at once, and the Dial's action is never requested.
 */
class LiveUpdateBridgeIT {
    static final int CALLEE = 5072;
    static Bench bench;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
        bench.app.always("/media/b1000.wav", LiveUpdateIT.wav(1000, 2.0));
        for (String path : new String[] {"/ring-event", "/answer-event", "/join-event"}) {
            bench.app.always(path, new MockResponse().setResponseCode(204));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    /**
     * Calls {@code user} (whose /voice is {@code first}), waits for {@code inBridge} (a callback path) to be
     * requested, redirects the call to a 1000 Hz tone and a hang-up, and checks that it is heard within 3 s, that the
     * caller gets the BYE, and that /after (the Dial's action) is never requested.
     */
    void redirectWhileBridged(String user, String first, String inBridge) throws Exception {
        bench.app.on(user, "/voice", first);
        bench.app.on(user, "/update", "<Response><Play>/media/b1000.wav</Play><Hangup/></Response>");
        bench.app.on(user, "/after", "<Response><Say>never</Say></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = Sipp.scenario("answer-wait-bye.xml").service(user)
                    .domain(Bench.DOMAIN).rtpPort(sink.port()).timeout(Duration.ofSeconds(60)).start();
            String callSid = bench.app.awaitHits(user, 1, Duration.ofSeconds(10)).get(0).params().get("CallSid");
            assertEquals(1, bench.app.awaitPathHits(inBridge, 1, Duration.ofSeconds(10)).size(),
                    "in the bridge: " + inBridge + " requested");
            int mark = sink.sampleCount();
            long asked = System.nanoTime();
            CallSession session = bench.server.calls().get(callSid);
            assertNotNull(session, "call " + callSid + " is up");
            assertTrue(session.walk().redirect(new Outcome.Navigate(bench.app.url("/update"), HttpMethod.POST,
                    Map.of())));
            assertTrue(sink.awaitToneMillis(1000, 500, mark, Duration.ofSeconds(10)), "the update is heard");
            long heardMs = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(heardMs < 3000, "the update took over within 3 s, not when the bridge ended: " + heardMs
                    + " ms");
            SippResult r = call.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), () -> r + "\n" + r.output());
            assertEquals(0, bench.app.pathHits("/after").size(), "the Dial's action is not requested");
            assertEquals(2, bench.app.hits(user).size(), "the first document, then the update only");
        }
    }

    @Test
    void aRingingDialIsCanceled() throws Exception {
        CompletableFuture<SippResult> callee = DialIT.callee("uas-noanswer.xml", CALLEE, Duration.ZERO,
                Duration.ZERO, 200);
        redirectWhileBridged("lub-ring", "<Response><Dial action=\"/after\" timeout=\"30\"><Sip "
                + "statusCallback=\"/ring-event\" statusCallbackEvent=\"ringing\">sip:bob@127.0.0.1:" + CALLEE
                + "</Sip></Dial></Response>", "/ring-event");
        SippResult r = DialIT.ok(callee, "callee");
        assertEquals(1, r.receivedRequests("CANCEL").size(), "the ringing callee got a CANCEL");
    }

    @Test
    void anAnsweredDialIsHungUp() throws Exception {
        CompletableFuture<SippResult> callee = DialIT.callee("uas-answer-wait-bye.xml", CALLEE,
                Duration.ofMillis(200), Duration.ZERO, 200);
        redirectWhileBridged("lub-talk", "<Response><Dial action=\"/after\"><Sip statusCallback=\"/answer-event\" "
                + "statusCallbackEvent=\"answered\">sip:bob@127.0.0.1:" + CALLEE + "</Sip></Dial></Response>",
                "/answer-event");
        SippResult r = DialIT.ok(callee, "callee");
        assertEquals(1, r.receivedRequests("BYE").size(), "the callee got a BYE");
    }

    @Test
    void aConferenceParticipantIsTakenOut() throws Exception {
        redirectWhileBridged("lub-conf", "<Response><Dial action=\"/after\"><Conference statusCallback="
                + "\"/join-event\" statusCallbackEvent=\"join\">lub room</Conference></Dial></Response>",
                "/join-event");
    }
}
