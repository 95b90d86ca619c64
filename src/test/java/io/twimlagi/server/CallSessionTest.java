package io.twimlagi.server;

import com.twilio.security.RequestValidator;
import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialResult;
import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.CallRecordingRequest;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.WalkPolicy;
import io.twimlagi.media.ToneTts;
import io.twimlagi.records.RecordingQuery;
import io.twimlagi.records.RecordingRecord;
import io.twimlagi.records.RecordingSource;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole call's TwiML against a real HTTP app (MockWebServer), an in-memory call and a tone TTS. */
public class CallSessionTest {
    static final String TOKEN = TestServices.TOKEN;
    static final String ACCOUNT = TestServices.ACCOUNT;

    @TempDir
    Path media;
    MockWebServer app;
    ToneTts tts = new ToneTts();
    FakeCall call = new FakeCall();

    @BeforeEach
    void start() throws IOException {
        app = new MockWebServer();
        app.start();
    }

    @AfterEach
    void stop() {
        try { app.shutdown(); } catch (IOException ignored) { }
    }

    public static MockResponse twiml(String body) {
        return new MockResponse().setResponseCode(200).addHeader("Content-Type", "text/xml").setBody(body);
    }

    void run(String voiceUrl, String fallbackUrl) throws IOException {
        try (Services services = TestServices.build(media, tts)) {
            Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), voiceUrl, HttpMethod.POST,
                    fallbackUrl, HttpMethod.POST, null, HttpMethod.POST);
            SipInvite invite = new SipInvite("sip:+15551234567@pbx.example.com", "sip:alice@client.example.com",
                    "pbx.example.com", "call-1@127.0.0.1", "127.0.0.1", Map.of("X-Customer-Id", "42"));
            new CallSession(services, call, CallIdentity.inbound("CA" + "cd".repeat(16), ACCOUNT, invite, domain))
                    .run("PJSIP/test-00000001");
        }
    }

    public static Map<String, String> form(RecordedRequest r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : r.getBody().readUtf8().split("&")) {
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    RecordedRequest next() throws InterruptedException {
        return app.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void rejectBusyIsA486WithTheSignedSipParams() throws Exception {
        app.enqueue(twiml("<Response><Reject reason=\"busy\"/></Response>"));
        run(app.url("/voice").toString(), null);
        assertEquals(List.of("reject 486"), call.events);
        RecordedRequest r = next();
        Map<String, String> p = form(r);
        assertEquals("sip:+15551234567@pbx.example.com", p.get("To"));
        assertEquals("sip:alice@client.example.com", p.get("From"));
        assertEquals("pbx.example.com", p.get("SipDomain"));
        assertEquals("call-1@127.0.0.1", p.get("SipCallId"));
        assertEquals("127.0.0.1", p.get("SipSourceIp"));
        assertEquals("42", p.get("SipHeader_X-Customer-Id"));
        assertEquals("ringing", p.get("CallStatus"));
        assertEquals("inbound", p.get("Direction"));
        assertEquals("2010-04-01", p.get("ApiVersion"));
        assertEquals(p.get("To"), p.get("Called"));
        assertEquals(p.get("From"), p.get("Caller"));
        assertTrue(new RequestValidator(TOKEN).validate(r.getRequestUrl().toString(), p,
                r.getHeader("X-Twilio-Signature")));
    }

    @Test
    void rejectWithoutReasonIs404() throws Exception {
        app.enqueue(twiml("<Response><Reject/><Say>never</Say></Response>"));
        run(app.url("/voice").toString(), null);
        assertEquals(List.of("reject 404"), call.events);
    }

    @Test
    void redirectKeepsRingingAndResolvesRelativeUrls() throws Exception {
        app.enqueue(twiml("<Response><Pause length=\"2\"/><Redirect method=\"GET\">next?step=2</Redirect></Response>"));
        app.enqueue(twiml("<Response><Say>Hello</Say></Response>"));
        run(app.url("/app/voice").toString(), null);
        assertEquals("pause 2000ms", call.events.get(0));
        assertEquals("answer", call.events.get(1));
        assertTrue(call.events.get(2).startsWith("play /var/lib/twiml-agi/tts/"), call.events.toString());
        assertEquals(List.of("hangup"), call.events.subList(3, 4)); // end of document hangs up
        next();
        RecordedRequest second = next();
        assertEquals("GET", second.getMethod());
        assertEquals("/app/next", second.getRequestUrl().encodedPath());
        assertEquals("ringing", second.getRequestUrl().queryParameter("CallStatus"));
        assertEquals("2", second.getRequestUrl().queryParameter("step"));
        assertEquals(List.of("Hello"), tts.spoken);
    }

    @Test
    void redirectAfterAnswerReportsInProgress() throws Exception {
        app.enqueue(twiml("<Response><Say>a</Say><Redirect>/two</Redirect></Response>"));
        app.enqueue(twiml("<Response><Hangup/></Response>"));
        run(app.url("/one").toString(), null);
        next();
        assertEquals("in-progress", form(next()).get("CallStatus"));
    }

    @Test
    void fallbackGetsErrorCodeAndErrorUrl() throws Exception {
        app.enqueue(new MockResponse().setResponseCode(500));
        app.enqueue(twiml("<Response><Reject reason=\"busy\"/></Response>"));
        String primary = app.url("/voice").toString();
        run(primary, app.url("/fallback").toString());
        assertEquals(List.of("reject 486"), call.events);
        next();
        Map<String, String> p = form(next());
        assertEquals("11200", p.get("ErrorCode"));
        assertEquals(primary, p.get("ErrorUrl"));
    }

    @Test
    void noFallbackBeforeAnswerRejectsWith500() throws Exception {
        app.enqueue(twiml("<Response><Say>unclosed</Response>"));
        run(app.url("/voice").toString(), null);
        assertEquals(List.of("reject 500"), call.events);
    }

    @Test
    void failingFallbackAfterAnswerSaysApplicationErrorAndHangsUp() throws Exception {
        app.enqueue(twiml("<Response><Say>hi</Say><Redirect>/broken</Redirect></Response>"));
        app.enqueue(new MockResponse().setResponseCode(404));
        app.enqueue(new MockResponse().setResponseCode(503));
        run(app.url("/voice").toString(), app.url("/fallback").toString());
        assertEquals("hangup", call.events.get(call.events.size() - 1));
        assertTrue(tts.spoken.contains("We are sorry, an application error has occurred. Goodbye."));
    }

    @Test
    void xxeIsAnErrorNeverResolved() throws Exception {
        app.enqueue(twiml("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Response><Say>&x;</Say></Response>"));
        app.enqueue(twiml("<Response><Reject/></Response>"));
        run(app.url("/voice").toString(), app.url("/fallback").toString());
        assertEquals(List.of("reject 404"), call.events);
        next();
        assertEquals("12100", form(next()).get("ErrorCode"));
    }

    @Test
    void redirectLoopIsBounded() throws Exception {
        for (int i = 0; i <= WalkPolicy.MAX_REDIRECTS_IN_A_ROW; i++) {
            app.enqueue(twiml("<Response><Redirect>/voice</Redirect></Response>"));
        }
        run(app.url("/voice").toString(), null);
        assertEquals(List.of("reject 500"), call.events);
        assertEquals(WalkPolicy.MAX_REDIRECTS_IN_A_ROW, app.getRequestCount());
    }

    @Test
    void fileUrlsServeStaticApps(@TempDir Path apps) throws Exception {
        Files.writeString(apps.resolve("main.xml"), "<Response><Redirect>busy.xml</Redirect></Response>");
        Files.writeString(apps.resolve("busy.xml"), "<Response><Reject reason=\"busy\"/></Response>");
        run(apps.resolve("main.xml").toUri().toString(), null);
        assertEquals(List.of("reject 486"), call.events);
    }

    @Test
    void unsupportedVerbEndsTheCallUnansweredWithAnError() throws Exception {
        app.enqueue(twiml("<Response><Pay/><Say>never</Say></Response>"));
        run(app.url("/voice").toString(), null);
        assertEquals(List.of("reject 500"), call.events);
    }

    @Test
    void callerHangingUpMidSayStopsEverything() throws Exception {
        call.callerHangsUpAtEvent(1);
        app.enqueue(twiml("<Response><Say>one</Say><Say>two</Say><Redirect>/x</Redirect></Response>"));
        run(app.url("/voice").toString(), null);
        assertEquals(2, call.events.size());
        assertEquals(1, app.getRequestCount());
    }

    @Test
    void playFetchesOnceAndLoops() throws Exception {
        app.enqueue(twiml("<Response><Play loop=\"3\">/a.wav</Play><Play>/a.wav</Play></Response>"));
        app.enqueue(new MockResponse().setResponseCode(200).addHeader("Content-Type", "audio/wav")
                .addHeader("Cache-Control", "max-age=60").setBody(new okio.Buffer().write(ToneTts.wav(44100, 2, 0.3, 300))));
        run(app.url("/voice").toString(), null);
        assertEquals(4, call.events.stream().filter(e -> e.startsWith("play ")).count(), call.events.toString());
        assertEquals(2, app.getRequestCount());
    }

    @Test
    void playOfAMissingFileIsLoggedAndTheNextVerbRuns() throws Exception {
        app.enqueue(twiml("<Response><Play>/missing.wav</Play><Reject reason=\"busy\"/></Response>"));
        app.enqueue(new MockResponse().setResponseCode(404));
        run(app.url("/voice").toString(), null);
        assertEquals(List.of("answer", "hangup"), call.events);
    }

    @Test
    void plainTextThatIsNotTwimlIsSpokenThenTheCallEnds() throws Exception {
        app.enqueue(new MockResponse().setResponseCode(200).addHeader("Content-Type", "text/plain")
                .setBody("Our office is closed."));
        run(app.url("/voice").toString(), null);
        assertEquals(List.of("Our office is closed."), tts.spoken);
        assertEquals("hangup", call.events.get(call.events.size() - 1));
    }

    @Test
    void missingContentTypeIsError12300() throws Exception {
        app.enqueue(new MockResponse().setResponseCode(200).setBody("<Response><Hangup/></Response>")
                .removeHeader("Content-Type"));
        app.enqueue(twiml("<Response><Reject/></Response>"));
        run(app.url("/voice").toString(), app.url("/fallback").toString());
        next();
        assertEquals("12300", form(next()).get("ErrorCode"));
    }

    @Test
    void playDigitsSendsDtmf() throws Exception {
        app.enqueue(twiml("<Response><Play digits=\"1w2#\"/></Response>"));
        run(app.url("/voice").toString(), null);
        assertEquals(List.of("answer", "dtmf 1w2#", "hangup"), call.events);
    }

    @Test
    void aCallerWhoHangsUpWhileTheAppIsSlowEndsCanceledAtOnceAndTheLateAnswerIsIgnored() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        app.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                asked.countDown();
                release.await(20, TimeUnit.SECONDS); // a slow app
                return twiml("<Response><Reject reason=\"busy\"/></Response>");
            }
        });
        try (Services services = TestServices.build(media, tts)) {
            Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), app.url("/voice").toString(),
                    HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
            CallSession session = new CallSession(services, call, CallIdentity.inbound("CA" + "cd".repeat(16),
                    ACCOUNT, new SipInvite("sip:+15551234567@pbx.example.com", "sip:alice@client.example.com",
                    "pbx.example.com", "call-1@127.0.0.1", "127.0.0.1", Map.of()), domain));
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> session.run("PJSIP/test-00000001"));
            assertTrue(asked.await(5, TimeUnit.SECONDS));
            long gone = System.nanoTime();
            session.walk().callerGone(); // what Asterisk's manager reports when the caller CANCELs
            running.get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - gone < TimeUnit.SECONDS.toNanos(3), "the fetch was abandoned at once");
            release.countDown();
            assertEquals(List.of(), call.events, "the app's late <Reject reason=busy> never reaches the caller");
            assertEquals("canceled", session.progress().terminalStatus(), "canceled, never busy");
            assertEquals(487, session.progress().finalSipCode());
        }
    }

    @Test
    void aRecordedRestCallIsRecordedFromItsAnswerToItsEndThenListedAndAnnounced() throws Exception {
        app.enqueue(twiml("<Response><Play digits=\"1\"/></Response>"));
        app.enqueue(new MockResponse().setResponseCode(204)); // the recording status callback
        call.recordedAudio = ToneTts.wav(8000, 1, 2.0, 440);
        String sid = "CA" + "ef".repeat(16);
        try (Services services = TestServices.build(media, media.toString(), tts)) {
            Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), app.url("/voice").toString(),
                    HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
            CallSession session = new CallSession(services, call, CallIdentity.outboundApi(sid, ACCOUNT,
                    new SipInvite("sip:bob@example.com", "+15550001111", "", "", "", Map.of()), domain), null,
                    CallLog.NONE);
            call.answer(); // Asterisk runs this half once the callee answered
            call.events.clear();
            session.runAnswered("Local/" + sid + "@twiml-outbound-dial-00000001;1",
                    new Outcome.Navigate(app.url("/voice").toString(), HttpMethod.POST, Map.of()), null,
                    new CallRecordingRequest(false, false, app.url("/recorded").toString(), HttpMethod.POST,
                            Set.of("completed")));
            assertTrue(call.events.get(0).startsWith("record call " + media), call.events.toString());
            assertEquals(List.of("dtmf 1", "hangup", "stop recording call"),
                    call.events.subList(1, call.events.size()), "recorded from the answer to the end");
            assertEquals("/voice", next().getPath());
            RecordedRequest callback = next();
            assertEquals("/recorded", callback.getPath());
            Map<String, String> p = form(callback);
            assertEquals("completed", p.get("RecordingStatus"));
            assertEquals("OutboundAPI", p.get("RecordingSource"));
            assertEquals("1", p.get("RecordingChannels"));
            assertEquals("2", p.get("RecordingDuration"));
            assertEquals(sid, p.get("CallSid"));
            services.records().flush();
            List<RecordingRecord> listed = services.records().listRecordings(RecordingQuery.ALL.withCallSid(sid), 0,
                    50).items();
            assertEquals(1, listed.size());
            assertEquals(RecordingSource.OUTBOUND_API, listed.get(0).source());
            assertEquals(p.get("RecordingSid"), listed.get(0).sid());
        }
    }

    /** A hangup Asterisk's manager reports during a Dial abandons no fetch: the Dial's action is still requested. */
    @Test
    void aCallerWhoHangsUpDuringADialStillGetsItsActionRequested() throws Exception {
        app.enqueue(twiml("<Response><Dial action=\"/dialed\"><Number>+15551230004</Number></Dial></Response>"));
        app.enqueue(twiml("<Response><Say>ignored</Say></Response>"));
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 3, 200, false, null, true);
        try (Services services = TestServices.build(media, tts)) {
            Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), app.url("/voice").toString(),
                    HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
            CallSession session = new CallSession(services, call, CallIdentity.inbound("CA" + "cd".repeat(16),
                    ACCOUNT, new SipInvite("sip:+15551234567@pbx.example.com", "sip:alice@client.example.com",
                    "pbx.example.com", "call-1@127.0.0.1", "127.0.0.1", Map.of()), domain));
            call.duringDial = request -> session.walk().callerGone(); // the caller's BYE while bridged
            session.run("PJSIP/test-00000001");
        }
        next();
        RecordedRequest action = app.takeRequest(5, TimeUnit.SECONDS);
        assertTrue(action != null && action.getPath().equals("/dialed"), "the Dial's action was requested");
        Map<String, String> p = form(action);
        assertEquals("completed", p.get("DialCallStatus"));
        assertEquals("completed", p.get("CallStatus"), "the caller is gone");
        assertEquals(List.of(), tts.spoken, "its answer is ignored");
    }

    @Test
    void theDocumentUrlShownToAsteriskHidesItsPassword() throws Exception {
        app.enqueue(twiml("<Response><Play digits=\"1\"/></Response>"));
        String url = app.url("/voice").newBuilder().username("app").password("s3cret").build().toString();
        run(url, null);
        String shown = call.variables.get("TWIML_URL");
        assertTrue(shown.contains("app:***@"), shown);
        assertFalse(shown.contains("s3cret"), "Asterisk logs EXEC arguments and shows channel variables: " + shown);
    }

    /**
     * A shutdown waits for the live calls, then closes the callback sender, the records and the log: a call must
     * still be live while its terminal callback is queued and its final record written (ServerRestartIT once lost
     * the callback of a call that left the live calls first).
     */
    @Test
    void aCallIsStillLiveWhileItsEndIsRecorded() throws Exception {
        app.enqueue(twiml("<Response><Reject reason=\"busy\"/></Response>"));
        try (Services services = TestServices.build(media, tts)) {
            Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), app.url("/voice").toString(),
                    HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
            SipInvite invite = new SipInvite("sip:+15551234567@pbx.example.com", "sip:alice@client.example.com",
                    "pbx.example.com", "call-1@127.0.0.1", "127.0.0.1", Map.of());
            List<Integer> liveAtEnd = new ArrayList<>();
            CallLog log = new CallLog() {
                @Override public void started(CallIdentity c, String status) { }
                @Override public void dialing(String callSid) { }
                @Override public void answered(String callSid) { }
                @Override public void ended(String callSid, String status, int seconds, int sipCode) {
                    liveAtEnd.add(services.liveCalls().size());
                }
                @Override public void recorded(String recordingSid, String callSid, String conferenceSid,
                                               Instant started, int seconds, int channels, String source) { }
            };
            new CallSession(services, call, CallIdentity.inbound("CA" + "cd".repeat(16), ACCOUNT, invite, domain),
                    null, log).run("PJSIP/test-00000001");
            assertEquals(List.of(1), liveAtEnd, "still among the live calls when its end is recorded");
            assertEquals(0, services.liveCalls().size(), "and gone after");
        }
    }
}
