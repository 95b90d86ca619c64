package io.twimlagi.engine;

import io.twimlagi.config.Domain;
import io.twimlagi.media.AudioLibrary;
import io.twimlagi.media.MediaStore;
import io.twimlagi.media.SpeechCache;
import io.twimlagi.media.ToneTts;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.verbs.SpokenApplicationError;
import io.twimlagi.verbs.VerbExecutors;
import io.twimlagi.webhook.WebhookClient;
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
 * {@link Interpreter#screen}: a Dial noun's screening document run on the called party (a FakeCall wrapped by
 * {@link Interpreter#screened}), against a real HTTP app (MockWebServer).
 */
class InterpreterScreenTest {
    static final String CHILD_SID = "CA" + "ef".repeat(16);

    @TempDir
    Path media;
    MockWebServer app;
    WebhookClient webhooks;
    final FakeCall callee = new FakeCall();
    Interpreter interpreter;

    @BeforeEach
    void start() throws IOException {
        app = new MockWebServer();
        app.start();
        webhooks = new WebhookClient(InterpreterTest.TOKEN, Duration.ofSeconds(2), Duration.ofSeconds(3));
        MediaStore store = new MediaStore(media, "/var/lib/twiml-agi");
        SpeechCache speech = new SpeechCache(new ToneTts(), store);
        SpokenApplicationError error = new SpokenApplicationError(speech);
        io.twimlagi.recording.RecordingStore recordings =
                new io.twimlagi.recording.RecordingStore(media, "/var/lib/twiml-agi");
        io.twimlagi.verbs.DialExecutor dial;
        try {
            dial = io.twimlagi.verbs.DialExecutor.create(store, recordings, null, "http://127.0.0.1:8089",
                    new io.twimlagi.verbs.DialSessions());
        } catch (io.twimlagi.media.MediaException e) {
            throw new IOException(e);
        }
        interpreter = new Interpreter(new DocumentFetcher(webhooks),
                new VerbExecutors(speech, new AudioLibrary(store), new io.twimlagi.verbs.RecordExecutor(recordings,
                        new io.twimlagi.webhook.CallbackSender(webhooks), "http://127.0.0.1:8089", "beep"),
                        new io.twimlagi.verbs.ReferExecutor(Duration.ofSeconds(60)), dial, error),
                error);
    }

    @AfterEach
    void stop() {
        webhooks.close();
        try { app.shutdown(); } catch (IOException ignored) { }
    }

    /** The child leg's context, as DialSessions builds it. */
    CallContext child() {
        Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), app.url("/voice").toString(),
                HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
        SipInvite invite = new SipInvite("+15551230000", "sip:alice@client.example.com", "pbx.example.com",
                "leg-1@127.0.0.1", "127.0.0.1", Map.of());
        return new CallContext(Interpreter.screened(callee), CHILD_SID, InterpreterTest.ACCOUNT, invite, domain)
                .withParams(Map.of("Direction", "outbound-dial", "ParentCallSid", "CA" + "cd".repeat(16),
                        "CallStatus", "in-progress"));
    }

    boolean screen(String... documents) {
        for (String d : documents) app.enqueue(InterpreterTest.twiml(d));
        return interpreter.screen(child(), app.url("/screen").toString(), HttpMethod.POST);
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
        Map<String, String> p = InterpreterTest.form(r);
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
        assertFalse(interpreter.screen(child(), app.url("/screen").toString(), HttpMethod.POST));
        assertTrue(callee.events.isEmpty(), "no application-error message to the callee: " + callee.events);
        assertFalse(callee.isGone());
    }

    @Test
    void anUnreachableAppRefusesTheLeg() {
        assertFalse(interpreter.screen(child(), "http://127.0.0.1:1/screen", HttpMethod.POST));
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
        Map<String, String> p = InterpreterTest.form(action);
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
                return InterpreterTest.twiml("<Response><Redirect>/screen</Redirect></Response>");
            }
        });
        assertFalse(interpreter.screen(child(), app.url("/screen").toString(), HttpMethod.POST));
        assertEquals(Interpreter.MAX_CONSECUTIVE_REDIRECTS, app.getRequestCount());
    }

    @Test
    void theCalleeHangingUpDuringTheScreeningRefuses() {
        callee.callerHangsUpAtEvent(0);
        assertFalse(screen("<Response><Say>hello</Say></Response>"));
        assertTrue(callee.isGone());
    }

    @Test
    void aScreeningOverItsTimeLimitDoesNotConnectAndPlaysNothingMore() throws Exception {
        app.enqueue(InterpreterTest.twiml("<Response><Say>never heard</Say></Response>"));
        assertFalse(interpreter.screen(child(), app.url("/screen").toString(), HttpMethod.POST,
                java.time.Duration.ZERO));
        assertFalse(played(), callee.events.toString());
        assertEquals(java.time.Duration.ofMinutes(5), Interpreter.SCREENING_LIMIT);
    }

    @Test
    void aLongPauseIsCutAtTheScreeningLimit() throws Exception {
        app.enqueue(InterpreterTest.twiml("<Response><Pause length=\"3600\"/></Response>"));
        assertFalse(interpreter.screen(child(), app.url("/screen").toString(), HttpMethod.POST,
                java.time.Duration.ofMillis(300)));
        String pause = callee.events.stream().filter(e -> e.startsWith("pause ")).findFirst().orElseThrow();
        long ms = Long.parseLong(pause.replaceAll("\\D", ""));
        assertTrue(ms <= 300, "the callee waits at most the time left: " + pause);
    }
}
