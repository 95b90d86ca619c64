package io.twimlagi.server;

import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialResult;
import io.twimlagi.config.Config;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.ToneTts;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.CallStatus;
import io.twimlagi.rest.CallUpdate;
import io.twimlagi.rest.OutboundRequest;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * REST-created calls between the REST backend and Asterisk, with an Originator that stands for the Manager
 * Interface and a {@link FakeCall} as the call's Dial half.
 */
class OutboundCallsTest {
    @TempDir
    Path dir;
    MockWebServer app;
    final ToneTts tts = new ToneTts();
    Services services;
    OutboundCalls outbound;
    RestCalls rest;
    /** What the fake Manager Interface does when asked to originate a call (on the REST request's thread). */
    Consumer<String> onOriginate = sid -> { };
    /** How the Originate ends (incomplete: Asterisk is still on it). */
    final CompletableFuture<Void> originated = new CompletableFuture<>();

    final Originator originator = new Originator() {
        @Override
        public boolean available() {
            return true;
        }

        @Override
        public CompletableFuture<Void> originate(String callSid, Duration answerWithin) {
            onOriginate.accept(callSid);
            return originated;
        }

        @Override
        public boolean hangup(String channel) {
            return true;
        }
    };

    @BeforeEach
    void start() throws Exception {
        app = new MockWebServer();
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(204);
            }
        });
        app.start();
        Path conf = dir.resolve("twiml-agi.conf");
        Files.writeString(conf, """
                [general]
                account_sid = %s
                auth_token = %s
                voice_url = http://127.0.0.1:9/voice
                media_dir = %s
                sip_capture = 127.0.0.1:%d
                """.formatted(TestServices.ACCOUNT, TestServices.TOKEN, dir.resolve("media"), freeUdpPort()));
        Config config = ConfigLoader.load(conf);
        services = Services.build(config.general(), tts);
        outbound = new OutboundCalls(services, () -> config, originator);
        rest = new RestCalls(services, outbound, originator);
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        services.close();
        app.shutdown();
    }

    OutboundRequest request(String to) {
        return new OutboundRequest(to, "+15550001234", "http://127.0.0.1:9/voice", HttpMethod.POST, null, null,
                HttpMethod.POST, app.url("/status").toString(), HttpMethod.POST,
                Set.of("initiated", "ringing", "answered", "completed"), 20, null, null, null, 14400, null);
    }

    CallRecord stored(String sid) {
        return services.records().fetchCall(sid).orElseThrow();
    }

    @Test
    void theCreatedCallIsAnsweredQueuedEvenWhenItsDialHalfIsAlreadyRinging() {
        onOriginate = sid -> assertTrue(outbound.get(sid).dialing("Local/" + sid + "@twiml-outbound-dial-0001;2"));
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        assertEquals(CallStatus.QUEUED, created.status(), "Twilio answers a new call queued");
        assertNull(created.startTime());
        assertEquals(CallStatus.RINGING, stored(created.sid()).status(), "while Asterisk already dials it");
    }

    @Test
    void anOriginateThatEndsBeforeItsDialHalfRanFailsTheCall() {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        originated.complete(null); // Asterisk's OriginateResponse: failure (e.g. the dial half's AGI was unreachable)
        assertEquals(CallStatus.FAILED, stored(created.sid()).status());
        assertNull(outbound.get(created.sid()), "no longer a call in progress");
    }

    /** Between the callee's answer and the start of its walk, a live update is not refused: it is the TwiML run. */
    @Test
    void anUpdateJustAfterTheAnswerRedirectsTheCallsFirstDocument() throws Exception {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        OutboundCall call = outbound.get(created.sid());
        call.dialing("Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        FakeCall half = new FakeCall().alreadyAnswered();
        CallSession session = new CallSession(services, half, call.identity(), call::statusCallbacks, CallLog.NONE);
        assertTrue(call.answered(session));

        Outcome updated = new Outcome.Inline(TwimlParser.parse("<Response><Say>updated</Say></Response>"
                .getBytes(StandardCharsets.UTF_8)));
        assertTrue(rest.update(created.sid(), new CallUpdate(updated, null, null, HttpMethod.POST)).isPresent());
        session.runAnswered("Local/" + created.sid() + "@twiml-outbound-dial-0001;1", call.start(), null, null);
        assertEquals(List.of("updated"), tts.spoken, "the update's TwiML ran, not the request's URL");
    }

    /** Without HEP capture, a callee's 180 is known only from the Dial's result: still reported as ringing. */
    @Test
    void aCalleeThatRangAndNeverAnsweredIsReportedRingingThenNoAnswer() throws Exception {
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5090"));
        FakeCall half = new FakeCall();
        half.nextDial = new DialResult(DialOutcome.NO_ANSWER, 0, 180, true, "leg@127.0.0.1", false, 0, List.of(180),
                false);
        outbound.dial(created.sid(), half, "Local/" + created.sid() + "@twiml-outbound-dial-0001;2");
        List<Map<String, String>> callbacks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordedRequest r = app.takeRequest(5, TimeUnit.SECONDS);
            assertNotNull(r, "callback " + i);
            callbacks.add(CallSessionTest.form(r));
        }
        callbacks.sort(Comparator.comparingInt(p -> Integer.parseInt(p.get("SequenceNumber"))));
        assertEquals(List.of("initiated", "ringing", "no-answer"),
                callbacks.stream().map(p -> p.get("CallStatus")).toList());
        assertEquals("487", callbacks.get(2).get("SipResponseCode"));
        CallRecord done = stored(created.sid());
        assertEquals(CallStatus.NO_ANSWER, done.status());
        assertEquals(487, done.sipResponseCode());
    }

    @Test
    void aCallThatEndsWithoutRingingLeavesNoRingingWatcherBehind() throws Exception {
        SipCapture capture = services.capture();
        assertNotNull(capture, "the SIP capture listens");
        CallRecord created = rest.create(request("sip:bob@127.0.0.1:5099"));
        assertTrue(outbound.legCreated(created.sid(), "leg-call-id-1@127.0.0.1"));
        assertEquals(1, capture.watchedForRinging(), "its leg is watched for a 180");
        assertTrue(outbound.cancel(created.sid())); // ends before any 180 (as a busy or failed leg does)
        assertEquals(0, capture.watchedForRinging(), "nothing left behind by a call that is over");
    }

    /** The CLI's {@code twiml-outbound?Url=file:...} reads no file outside file_root (here: none configured). */
    @Test
    void anOperatorCallToAFileOutsideFileRootIsHungUpWithoutRunningIt() throws Exception {
        Path outside = dir.resolve("elsewhere/voice.xml");
        Files.createDirectories(outside.getParent());
        Files.writeString(outside, "<Response><Say>secret</Say></Response>");
        FakeCall half = new FakeCall().alreadyAnswered();
        outbound.answered("", Map.of("Url", outside.toUri().toString()), half, "PJSIP/alice-00000001");
        assertEquals(List.of("hangup"), half.events, "hung up, nothing played");
        assertTrue(tts.spoken.isEmpty());
    }

    @Test
    void anOperatorCallToAFileBelowFileRootRunsIt() throws Exception {
        Path root = dir.resolve("twiml");
        Files.createDirectories(root);
        Files.writeString(root.resolve("voice.xml"), "<Response><Say>hello operator</Say></Response>");
        Path conf = dir.resolve("with-root.conf");
        Files.writeString(conf, """
                [general]
                account_sid = %s
                auth_token = %s
                voice_url = http://127.0.0.1:9/voice
                file_root = %s
                media_dir = %s
                """.formatted(TestServices.ACCOUNT, TestServices.TOKEN, root, dir.resolve("media")));
        Config withRoot = ConfigLoader.load(conf);
        OutboundCalls cli = new OutboundCalls(services, () -> withRoot, originator);
        FakeCall half = new FakeCall().alreadyAnswered();
        cli.answered("", Map.of("Url", root.resolve("voice.xml").toUri().toString()), half, "PJSIP/alice-00000002");
        assertEquals(List.of("hello operator"), tts.spoken);
    }
}
