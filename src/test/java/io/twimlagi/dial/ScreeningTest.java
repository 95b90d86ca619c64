package io.twimlagi.dial;

import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.WalkPolicy;
import io.twimlagi.server.CallSessionTest;
import io.twimlagi.server.Services;
import io.twimlagi.server.TestServices;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Screening}: a Dial noun's screening document run on the called party (an answered FakeCall), against a
 * real HTTP app (MockWebServer).
 */
class ScreeningTest {
    static final String CHILD_SID = "CA" + "ef".repeat(16);

    @TempDir
    Path media;
    MockWebServer app;
    Services services;
    final FakeCall callee = new FakeCall().alreadyAnswered();
    Screener screening;

    @BeforeEach
    void start() throws IOException {
        app = new MockWebServer();
        app.start();
        services = TestServices.build(media);
        screening = services.dialSessions().screening();
    }

    @AfterEach
    void stop() {
        services.close();
        try { app.shutdown(); } catch (IOException ignored) { }
    }

    /** The child leg's context, as DialSessions builds it. */
    CallContext child() {
        Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), app.url("/voice").toString(),
                HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
        SipInvite invite = new SipInvite("+15551230000", "sip:alice@client.example.com", "pbx.example.com",
                "leg-1@127.0.0.1", "127.0.0.1", Map.of());
        CallIdentity parent = CallIdentity.inbound("CA" + "cd".repeat(16), TestServices.ACCOUNT,
                new SipInvite("sip:+15551230000@pbx.example.com", "sip:alice@client.example.com", "pbx.example.com",
                        "call-1@127.0.0.1", "127.0.0.1", Map.of()), domain);
        return new CallContext(callee, parent.child(CHILD_SID, invite));
    }

    boolean screen(String... documents) {
        for (String d : documents) app.enqueue(CallSessionTest.twiml(d));
        return screening.screen(child(), app.url("/screen").toString(), HttpMethod.POST);
    }

    RecordedRequest next() throws InterruptedException {
        return app.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    boolean played() {
        return callee.events.stream().anyMatch(e -> e.startsWith("play "));
    }

    @Test
    void aDocumentThatRunsOutConnectsAfterPlayingToTheCallee() throws Exception {
        assertTrue(screen("<Response><Say>hi</Say></Response>"));
        assertTrue(played(), callee.events.toString());
        assertFalse(callee.events.contains("answer"), "the callee was answered already");
        assertFalse(callee.events.contains("hangup"), "the end of a screening document does not hang up");
        assertFalse(callee.isGone());
        RecordedRequest r = next();
        assertEquals("/screen", r.getPath());
        Map<String, String> p = CallSessionTest.form(r);
        assertEquals(CHILD_SID, p.get("CallSid"));
        assertEquals("outbound-dial", p.get("Direction"));
        assertEquals("CA" + "cd".repeat(16), p.get("ParentCallSid"));
        assertEquals("in-progress", p.get("CallStatus"));
        assertEquals("+15551230000", p.get("To"));
    }

    @Test
    void hangupRefusesTheLegWithoutHangingUpTheCallee() {
        assertFalse(screen("<Response><Say>no</Say><Hangup/></Response>"));
        assertTrue(played(), callee.events.toString());
        assertFalse(callee.events.contains("hangup"), callee.events.toString());
        assertFalse(callee.isGone(), "Asterisk ends the leg, not us");
    }

    @Test
    void rejectIsNotAllowedAndNeverReachesTheCallee() {
        assertFalse(screen("<Response><Reject/></Response>"));
        assertTrue(callee.events.isEmpty(), callee.events.toString());
        assertFalse(callee.isGone());
    }

    @Test
    void aDialThereIsRefusedWithoutDialing() {
        assertFalse(screen("<Response><Dial>+1555</Dial></Response>"));
        assertNull(callee.lastDial);
        assertTrue(callee.events.isEmpty(), callee.events.toString());
    }

    @Test
    void verbsBeforeAForbiddenOneRunThenTheLegIsRefused() {
        assertFalse(screen("<Response><Say>one moment</Say><Record/></Response>"));
        assertTrue(played());
        assertFalse(callee.events.stream().anyMatch(e -> e.startsWith("record")), callee.events.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 500})
    void aFailedFetchRefusesTheLeg(int status) {
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(status).setBody("nope");
            }
        });
        assertFalse(screening.screen(child(), app.url("/screen").toString(), HttpMethod.POST));
        assertTrue(callee.events.isEmpty(), "no application-error message to the callee: " + callee.events);
        assertFalse(callee.isGone());
    }

    @Test
    void anUnreachableAppRefusesTheLeg() {
        assertFalse(screening.screen(child(), "http://127.0.0.1:1/screen", HttpMethod.POST));
        assertTrue(callee.events.isEmpty());
    }

    @Test
    void gatherActionThatRunsOutConnects() throws Exception {
        callee.pressAfterwards('1');
        assertTrue(screen("<Response><Gather numDigits=\"1\" action=\"/gathered\"><Say>press one</Say></Gather>"
                + "</Response>", "<Response/>"));
        next();
        RecordedRequest action = next();
        assertEquals("/gathered", action.getPath());
        Map<String, String> p = CallSessionTest.form(action);
        assertEquals("1", p.get("Digits"));
        assertEquals(CHILD_SID, p.get("CallSid"));
        assertEquals("outbound-dial", p.get("Direction"));
    }

    @Test
    void gatherActionThatHangsUpRefuses() throws Exception {
        callee.pressAfterwards('2');
        assertFalse(screen("<Response><Gather numDigits=\"1\" action=\"/gathered\"><Say>press one</Say></Gather>"
                + "</Response>", "<Response><Hangup/></Response>"));
        assertFalse(callee.events.contains("hangup"));
    }

    @Test
    void redirectAndPauseAreAllowed() throws Exception {
        assertTrue(screen("<Response><Pause length=\"1\"/><Redirect>/two</Redirect></Response>",
                "<Response><Play digits=\"1\"/></Response>"));
        assertTrue(callee.events.contains("pause 1000ms"), callee.events.toString());
        next();
        assertEquals("/two", next().getPath());
    }

    @Test
    void aRedirectLoopEndsRefused() {
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return CallSessionTest.twiml("<Response><Redirect>/screen</Redirect></Response>");
            }
        });
        assertFalse(screening.screen(child(), app.url("/screen").toString(), HttpMethod.POST));
        assertEquals(WalkPolicy.MAX_REDIRECTS_IN_A_ROW, app.getRequestCount());
    }

    @Test
    void theCalleeHangingUpDuringTheScreeningRefuses() {
        callee.callerHangsUpAtEvent(0);
        assertFalse(screen("<Response><Say>hello</Say></Response>"));
        assertTrue(callee.isGone());
    }

    @Test
    void aScreeningOverItsTimeLimitDoesNotConnectAndPlaysNothingMore() throws Exception {
        app.enqueue(CallSessionTest.twiml("<Response><Say>never heard</Say></Response>"));
        assertFalse(((Screening) screening).withTimeLimit(Duration.ZERO).screen(child(), app.url("/screen").toString(),
                HttpMethod.POST));
        assertFalse(played(), callee.events.toString());
        assertEquals(Duration.ofMinutes(5), WalkPolicy.SCREENING.timeLimit());
    }

    @Test
    void aLongPauseIsCutAtTheScreeningLimit() throws Exception {
        app.enqueue(CallSessionTest.twiml("<Response><Pause length=\"3600\"/><Say>never heard</Say></Response>"));
        callee.waitsForReal = true;
        long start = System.nanoTime();
        assertFalse(((Screening) screening).withTimeLimit(Duration.ofMillis(300)).screen(child(), app.url("/screen").toString(),
                HttpMethod.POST));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(callee.events.contains("pause 3600000ms"), callee.events.toString());
        assertTrue(ms >= 300 && ms < 10_000, "the pause was cut at the limit, after " + ms + " ms");
        assertFalse(played(), "nothing after the limit: " + callee.events);
        assertFalse(callee.interrupted(), "the interrupt ends with the screening");
    }
}
