package io.twimlagi.dial;

import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.call.DialResult;
import io.twimlagi.config.Domain;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.server.CallSessionTest;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.sip.SipCaptureTestPackets;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dial with Asterisk's HEP capture (SipCapture): DialSipHeader_* of a final response other than 200 OK, and a
 * leg's "ringing" callback sent when its 180 is captured, matched by the Call-ID its pre-dial handler reported.
 */
class DialCaptureTest {
    final MockWebServer app = new MockWebServer();
    final WebhookClient webhooks = new WebhookClient("tok", Duration.ofSeconds(1), Duration.ofSeconds(2));
    final CallbackSender callbacks = new CallbackSender(webhooks);
    final FakeCall call = new FakeCall();
    final SipCapture capture = new SipCapture(null);
    final DialSessions sessions = new DialSessions(capture, null);
    final DialExecutor executor = DialKit.executor(sessions, null, callbacks, capture);

    @BeforeEach
    void start() throws Exception {
        app.start();
    }

    @AfterEach
    void stop() throws Exception {
        callbacks.close();
        webhooks.close();
        app.shutdown();
    }

    CallContext ctx() {
        return new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:alice@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
                new Domain("pbx.example.com", "SD" + "00".repeat(16), app.url("/voice").toString(),
                        HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));
    }

    Map<String, String> action(String xml) throws Exception {
        Outcome o = executor.execute(DialExecutorTest.dial(xml), ctx());
        return assertInstanceOf(Outcome.Navigate.class, o).extraParams();
    }

    void captured(String sip) {
        byte[] p = SipCaptureTestPackets.hep(sip);
        capture.accept(p, p.length);
    }

    static String response(int code, String callId, String... headers) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + code + " X\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n");
        for (String h : headers) b.append(h).append("\r\n");
        return b.append("\r\n").toString();
    }

    @Test
    void aBusySipLegsHeadersComeFromItsCaptured486() throws Exception {
        captured(response(486, "cid-b", "X-Reason: agent-busy", "X-Queue: 7"));
        call.nextDial = new DialResult(DialOutcome.BUSY, 0, 486, true, "cid-b", false, 0, List.of(486));
        Map<String, String> p = action("<Dial action=\"/after\"><Sip>sip:b@h</Sip></Dial>");
        assertEquals("busy", p.get("DialCallStatus"));
        assertEquals("486", p.get("DialSipResponseCode"));
        assertEquals("agent-busy", p.get("DialSipHeader_X-Reason"));
        assertEquals("7", p.get("DialSipHeader_X-Queue"));
    }

    @Test
    void onlyTheResponseWithTheReportedCodeAndOnlyForSipNouns() throws Exception {
        captured(response(401, "cid-c", "X-Reason: challenge"));
        captured(response(603, "cid-c", "X-Reason: declined"));
        call.nextDial = new DialResult(DialOutcome.CONGESTION, 0, 603, true, "cid-c", false, 0, List.of(603));
        assertEquals("declined", action("<Dial action=\"/a\"><Sip>sip:c@h</Sip></Dial>").get("DialSipHeader_X-Reason"));
        // a <Number> leg is not a <Sip> one: no DialSip* at all (as on Twilio)
        captured(response(486, "cid-n", "X-Reason: busy"));
        call.nextDial = new DialResult(DialOutcome.BUSY, 0, 486, false, "cid-n", false, 0, List.of(486));
        Map<String, String> p = action("<Dial action=\"/a\"><Number>+15551230000</Number></Dial>");
        assertFalse(p.keySet().stream().anyMatch(k -> k.startsWith("DialSip")), p.toString());
        // not captured (a lost datagram): no headers, the rest as usual
        call.nextDial = new DialResult(DialOutcome.BUSY, 0, 486, true, "cid-lost", false, 0, List.of(486));
        p = action("<Dial action=\"/a\"><Sip>sip:c@h</Sip></Dial>");
        assertEquals("486", p.get("DialSipResponseCode"));
        assertFalse(p.keySet().stream().anyMatch(k -> k.startsWith("DialSipHeader_")), p.toString());
    }

    @Test
    void ringingIsSentWhenTheLegsOwn180IsCaptured() throws Exception {
        app.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(204);
            }
        });
        captured(response(100, "unrelated")); // Asterisk is sending: legs are watched
        java.util.concurrent.atomic.AtomicReference<RecordedRequest> duringTheDial = new java.util.concurrent.atomic.AtomicReference<>();
        call.duringDial = r -> {
            assertTrue(r.watchLegs(), "a noun wants ringing and the capture is live");
            // the pre-dial handler of each leg, in Asterisk's order, with DIALEDPEERNUMBER
            sessions.created(r.answeredToken(), "trunk/sip:a@h", "cid-a");
            sessions.created(r.answeredToken(), "trunk/sip:x@elsewhere", "cid-x"); // matches no noun: ignored
            sessions.created("not-a-dial", "trunk/sip:b@h", "cid-z"); // unknown token: ignored
            sessions.created(r.answeredToken(), "trunk/sip:b@h", "cid-b");
            captured(response(180, "cid-b"));
            captured(response(180, "cid-x"));
            try { // the callback goes while the Dial is still ringing, not after it
                duringTheDial.set(app.takeRequest(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        // after the Dial Asterisk reports no 180 for either leg: only the capture can have sent "ringing"
        call.nextDial = new DialResult(DialOutcome.NO_ANSWER, 0, 487, true, "cid-a", false, 0, List.of(487, 487));
        action("<Dial action=\"/after\"><Sip statusCallback=\"/leg-a\" statusCallbackEvent=\"ringing\">sip:a@h</Sip>"
                + "<Sip statusCallback=\"/leg-b\" statusCallbackEvent=\"ringing\">sip:b@h</Sip></Dial>");
        RecordedRequest r = duringTheDial.get();
        assertNotNull(r, "no ringing callback during the Dial");
        assertEquals("/leg-b", r.getPath());
        Map<String, String> p = CallSessionTest.form(r);
        assertEquals("ringing", p.get("CallStatus"));
        assertEquals("sip:b@h", p.get("To"));
        assertEquals("CA" + "11".repeat(16), p.get("ParentCallSid"));
        assertNull(app.takeRequest(300, TimeUnit.MILLISECONDS), "leg a never rang; leg b's ringing went once");
        // after the Dial a late 180 of a watched leg reports nothing
        captured(response(180, "cid-a"));
        assertNull(app.takeRequest(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void legsAreNotWatchedWithoutARingingEventOrWithoutPackets() throws Exception {
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 3, 200, true, "cid", false, 0, List.of(200));
        action("<Dial action=\"/a\"><Sip statusCallback=\"/s\" statusCallbackEvent=\"ringing\">sip:a@h</Sip></Dial>");
        assertFalse(call.lastDial.watchLegs(), "Asterisk sent nothing yet: hep.conf is off");
        captured(response(100, "unrelated"));
        action("<Dial action=\"/a\"><Sip statusCallback=\"/s\" statusCallbackEvent=\"completed\">sip:a@h</Sip></Dial>");
        assertFalse(call.lastDial.watchLegs());
        action("<Dial action=\"/a\"><Sip statusCallback=\"/s\" statusCallbackEvent=\"ringing\">sip:a@h</Sip></Dial>");
        assertTrue(call.lastDial.watchLegs());
    }
}
