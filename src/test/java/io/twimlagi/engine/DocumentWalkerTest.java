package io.twimlagi.engine;

import io.twimlagi.config.Domain;
import io.twimlagi.server.CallSessionTest;
import io.twimlagi.server.Services;
import io.twimlagi.server.TestServices;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Pause;
import io.twimlagi.twiml.Say;
import io.twimlagi.call.Recorded;
import io.twimlagi.media.ToneTts;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The document walker's own rules: redirect and stop from outside, policies, time limits. */
class DocumentWalkerTest {
    @TempDir
    Path media;
    MockWebServer app;
    Services services;
    final FakeCall call = new FakeCall();
    CallContext ctx;
    final Walk walk = new Walk(call);

    @BeforeEach
    void start() throws IOException {
        app = new MockWebServer();
        app.start();
        services = TestServices.build(media);
        Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), app.url("/voice").toString(),
                HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
        ctx = new CallContext(call, CallIdentity.inbound("CA" + "cd".repeat(16), TestServices.ACCOUNT,
                new SipInvite("sip:+15551234567@pbx.example.com", "sip:alice@client.example.com", "pbx.example.com",
                        "call-1@127.0.0.1", "127.0.0.1", Map.of()), domain));
    }

    @AfterEach
    void stop() throws IOException {
        services.close();
        app.shutdown();
    }

    WalkEnd walk(WalkPolicy policy, String... documents) {
        for (String d : documents) app.enqueue(CallSessionTest.twiml(d));
        return services.walker().walk(ctx, new Outcome.Navigate(app.url("/voice").toString(), HttpMethod.POST,
                Map.of()), policy, services.runner(), walk);
    }

    /** Runs {@code action} on another thread once the call starts its first media command. */
    void fromOutsideDuringMedia(Runnable action) {
        call.waitsForReal = true;
        call.duringMedia = () -> {
            call.duringMedia = null;
            new Thread(action).start();
        };
    }

    @Test
    void aRedirectFromOutsideStopsTheCurrentVerbAndRunsTheNewDocument() throws Exception {
        fromOutsideDuringMedia(() -> walk.redirect(new Outcome.Navigate(app.url("/update").toString(),
                HttpMethod.POST, Map.of())));
        long start = System.nanoTime();
        WalkEnd end = walk(WalkPolicy.CALL, "<Response><Pause length=\"30\"/><Say>never heard</Say></Response>",
                "<Response><Pause length=\"1\"/></Response>");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the 30 s pause was cut short");
        assertEquals(WalkEnd.DOCUMENTS_RAN_OUT, end);
        assertEquals(List.of("pause 30000ms", "pause 1000ms"), call.events, "nothing more of the first document");
        app.takeRequest(5, TimeUnit.SECONDS);
        RecordedRequest update = app.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/update", update.getPath());
        assertEquals("CA" + "cd".repeat(16), CallSessionTest.form(update).get("CallSid"));
        assertFalse(call.interrupted(), "media commands run again after the new document was taken");
    }

    @Test
    void aStopFromOutsideEndsTheWalk() throws Exception {
        fromOutsideDuringMedia(walk::stop);
        WalkEnd end = walk(WalkPolicy.CALL, "<Response><Pause length=\"30\"/><Say>never heard</Say></Response>");
        assertEquals(WalkEnd.STOPPED, end);
        assertEquals(List.of("pause 30000ms"), call.events);
        assertFalse(call.interrupted(), "the interrupt does not outlive the walk");
    }

    @Test
    void aRedirectAfterTheWalkIsOverDoesNothing() throws Exception {
        assertEquals(WalkEnd.DOCUMENTS_RAN_OUT, walk(WalkPolicy.CALL, "<Response><Pause length=\"1\"/></Response>"));
        walk.redirect(new Outcome.Navigate(app.url("/late").toString(), HttpMethod.POST, Map.of()));
        assertFalse(call.interrupted(), "what runs on the call next is not stopped by a late update");
    }

    @Test
    void aSkippingPolicyLeavesOutVerbsItDoesNotAllow() throws Exception {
        WalkPolicy onlyPauses = new WalkPolicy("test", Set.of(Pause.class), true, Set.of(), 5, 5, null, false);
        assertEquals(WalkEnd.DOCUMENTS_RAN_OUT, walk(onlyPauses,
                "<Response><Say>skipped</Say><Pause length=\"2\"/><Hangup/></Response>"));
        assertEquals(List.of("pause 2000ms"), call.events);
    }

    @Test
    void anEndingVerbEndsTheWalkWithoutRunning() throws Exception {
        WalkPolicy sayEnds = new WalkPolicy("test", null, false, Set.of(Say.class), 5, 5, null, false);
        assertEquals(WalkEnd.ENDING_VERB, walk(sayEnds,
                "<Response><Pause length=\"2\"/><Say>not run</Say><Pause length=\"3\"/></Response>"));
        assertEquals(List.of("pause 2000ms"), call.events);
    }

    @Test
    void theTimeLimitCutsAWaitInProgress() throws Exception {
        call.waitsForReal = true;
        long start = System.nanoTime();
        WalkEnd end = walk(WalkPolicy.CALL.withTimeLimit(Duration.ofMillis(300)),
                "<Response><Pause length=\"60\"/><Say>never heard</Say></Response>");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(WalkEnd.TIME_UP, end);
        assertTrue(ms >= 300 && ms < 10_000, "cut at the limit after " + ms + " ms");
        assertEquals(List.of("pause 60000ms"), call.events);
    }

    @Test
    void totalDocumentsAreBounded() throws Exception {
        WalkPolicy three = new WalkPolicy("test", null, false, Set.of(), 3, 50, null, false);
        for (int i = 0; i < 5; i++) app.enqueue(CallSessionTest.twiml("<Response><Say>x</Say><Redirect>/voice</Redirect></Response>"));
        assertEquals(WalkEnd.TOO_MANY_DOCUMENTS, services.walker().walk(ctx, new Outcome.Navigate(
                app.url("/voice").toString(), HttpMethod.POST, Map.of()), three, services.runner(), walk));
        assertEquals(3, app.getRequestCount());
    }

    /** Found by ArgumentFuzzTest's kind of input: an http URL OkHttp cannot parse threw out of the walk. */
    @Test
    void aRedirectToAnUnusableHttpUrlIsAFailedFetch() throws Exception {
        assertEquals(WalkEnd.FETCH_FAILED, walk(WalkPolicy.CALL, "<Response><Redirect>http://</Redirect></Response>"));
        assertTrue(ctx.progress().fetches().get(1).startsWith("error11100/"), ctx.progress().fetches().toString());
    }

    /**
     * Record's action after a hangup is still requested (Twilio ignores its answer). Asterisk's manager often
     * reports that same hangup a moment after the call's own connection did, while the action is on its way: it
     * must not abandon it (RecordIT once lost the action this way).
     */
    @Test
    void aLateReportOfAKnownHangupDoesNotAbandonTheActionTwilioStillRequests() throws Exception {
        call.recordedAudio = ToneTts.wav(8000, 1, 1.5, 400);
        call.nextRecording = new Recorded(Recorded.RecordEnd.HANGUP, (char) 0);
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (r.getPath().equals("/voice")) {
                    return CallSessionTest.twiml("<Response><Record playBeep=\"false\" action=\"/recorded\"/>"
                            + "</Response>");
                }
                walk.callerGone(); // the manager's Hangup event, while the action is in flight
                return CallSessionTest.twiml("<Response><Say>ignored</Say></Response>");
            }
        });
        WalkEnd end;
        try (Services recording = TestServices.build(media, media.toString(), new ToneTts())) {
            end = recording.walker().walk(ctx, new Outcome.Navigate(app.url("/voice").toString(),
                    HttpMethod.POST, Map.of()), WalkPolicy.CALL, recording.runner(), walk);
        }
        assertEquals(WalkEnd.CALLER_GONE, end);
        assertEquals(2, app.getRequestCount());
        List<String> fetches = ctx.progress().fetches();
        assertEquals(2, fetches.size(), fetches.toString());
        assertTrue(fetches.get(1).startsWith("200/"), "the action was answered, not abandoned: " + fetches);
    }
}
