package io.twimlagi.verbs;

import io.twimlagi.call.TransferStatus;
import io.twimlagi.call.TransferResult;
import io.twimlagi.config.Domain;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.sip.SipCaptureTestPackets;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Refer;
import io.twimlagi.twiml.TwimlParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Refer with Asterisk's HEP capture: the REFER's own response and the NOTIFYs' sipfrag codes are read from the
 * call's dialog, where Asterisk's Transfer() reports a single code of unknown origin.
 */
class ReferCaptureTest {
    static final String DIALOG = "caller-call-id@10.0.0.1";
    final SipCapture capture = new SipCapture(null);
    /** The SIP messages "Asterisk" exchanges while Transfer() runs; then its result (or the caller hangs up). */
    List<String> during = List.of();
    TransferResult result = new TransferResult(TransferStatus.SUCCEEDED, 0);
    boolean callerHangsUp;

    final FakeCall call = new FakeCall();

    ReferCaptureTest() {
        call.onTransfer = () -> {
            during.forEach(m -> {
                byte[] p = SipCaptureTestPackets.hep(m);
                capture.accept(p, p.length);
            });
            if (callerHangsUp) throw new CallGoneException();
            return result;
        };
    }

    Map<String, String> run() throws Exception {
        CallContext ctx = new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", DIALOG, "1.2.3.4", Map.of()),
                new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr",
                        HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));
        Refer refer = (Refer) TwimlParser.parse("<Response><Refer action=\"/r\"><Sip>sip:agent@pbx</Sip></Refer></Response>"
                .getBytes(StandardCharsets.UTF_8)).verbs().get(0);
        Outcome o = new ReferExecutor(Duration.ofSeconds(60), capture).execute(refer, ctx);
        return new java.util.TreeMap<>(((Outcome.Navigate) o).extraParams());
    }

    static String referSent() {
        return "REFER sip:a@10.0.0.1:5060 SIP/2.0\r\nCall-ID: " + DIALOG + "\r\nCSeq: 7 REFER\r\n"
                + "Refer-To: <sip:agent@pbx>\r\n\r\n";
    }

    static String referResponse(String status) {
        return "SIP/2.0 " + status + "\r\nCall-ID: " + DIALOG + "\r\nCSeq: 7 REFER\r\n\r\n";
    }

    static String notify(int cseq, String sipfrag, boolean terminated) {
        return "NOTIFY sip:127.0.0.1:5060 SIP/2.0\r\nCall-ID: " + DIALOG + "\r\nCSeq: " + cseq + " NOTIFY\r\n"
                + "Event: refer;id=7\r\nSubscription-State: " + (terminated ? "terminated;reason=noresource"
                : "active;expires=60") + "\r\nContent-Type: message/sipfrag;version=2.0\r\n\r\nSIP/2.0 " + sipfrag
                + "\r\n";
    }

    @Test
    void aTargets403IsTheNotifysCodeNotTheRefers() throws Exception {
        during = List.of(referSent(), referResponse("202 Accepted"), notify(2, "100 Trying", false),
                notify(3, "403 Forbidden", true));
        result = new TransferResult(TransferStatus.FAILED, 403); // without capture this reads as "the REFER was refused"
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "403"), run());
    }

    @Test
    void aRefer503IsTheRefersOwn() throws Exception {
        during = List.of(referSent(), referResponse("503 Service Unavailable"));
        result = new TransferResult(TransferStatus.FAILED, 503); // without capture: "the target's 503"
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "503"), run());
    }

    @Test
    void successBusyAndNoAnswerFromTheLastSipfrag() throws Exception {
        during = List.of(referResponse("202 Accepted"), notify(2, "180 Ringing", false), notify(3, "200 OK", true));
        assertEquals(Map.of("ReferCallStatus", "in-progress", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "200"), run());
        during = List.of(referResponse("202 Accepted"), notify(2, "486 Busy Here", true));
        result = new TransferResult(TransferStatus.FAILED, 486);
        assertEquals("busy", run().get("ReferCallStatus"));
        during = List.of(referResponse("202 Accepted"), notify(2, "480 Temporarily Unavailable", true));
        result = new TransferResult(TransferStatus.FAILED, 480);
        assertEquals("no-answer", run().get("ReferCallStatus"));
    }

    @Test
    void aCallerHangingUpMidTransferIsCanceled202AndTheLastSipfrag() throws Exception {
        during = List.of(referSent(), referResponse("202 Accepted"), notify(2, "180 Ringing", false));
        callerHangsUp = true;
        assertEquals(Map.of("ReferCallStatus", "canceled", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "180"), run(), "Twilio's documented canceled / 202 / 180");
    }

    @Test
    void theBoundReachedWithoutAFinalSipfragIsFailed() throws Exception {
        during = List.of(referResponse("202 Accepted"), notify(2, "100 Trying", false));
        result = new TransferResult(TransferStatus.TIMED_OUT, 0);
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "100"), run());
    }

    @Test
    void aNotifyOfAnotherEventPackageIsIgnored() throws Exception {
        during = List.of(referResponse("202 Accepted"), "NOTIFY sip:x SIP/2.0\r\nCall-ID: " + DIALOG
                + "\r\nCSeq: 2 NOTIFY\r\nEvent: presence\r\n\r\nSIP/2.0 486 Busy\r\n");
        result = new TransferResult(TransferStatus.SUCCEEDED, 0);
        assertEquals(Map.of("ReferCallStatus", "in-progress", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "200"), run(), "not the presence NOTIFY's 486");
    }

    @Test
    void anEndThatWasNotCapturedLeavesTheOutcomeToAsterisk() throws Exception {
        // the final NOTIFY's copy was lost: a 100 Trying must not turn Asterisk's FAILURE 486 into a success
        during = List.of(referSent(), referResponse("202 Accepted"), notify(2, "100 Trying", false));
        result = new TransferResult(TransferStatus.FAILED, 486);
        assertEquals(Map.of("ReferCallStatus", "busy", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "486"), run());
    }

    @Test
    void anAcceptedRefersUncapturedFailureCodeIsTheSipfrags() throws Exception {
        // the REFER's 202 was seen, the final NOTIFY's copy was not: Asterisk's 403 can only be the target's
        during = List.of(referSent(), referResponse("202 Accepted"), notify(2, "100 Trying", false));
        result = new TransferResult(TransferStatus.FAILED, 403);
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "403"), run());
    }

    @Test
    void anAcceptedReferWithoutSubscriptionIsInProgress() throws Exception {
        during = List.of(referSent(), "SIP/2.0 202 Accepted\r\nCall-ID: " + DIALOG
                + "\r\nCSeq: 7 REFER\r\nRefer-Sub: false\r\n\r\n");
        assertEquals(Map.of("ReferCallStatus", "in-progress", "ReferSipResponseCode", "202"), run());
    }

    @Test
    void nothingCapturedFallsBackToAsterisksResult() throws Exception {
        during = List.of();
        result = new TransferResult(TransferStatus.FAILED, 405);
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "405"), run());
    }

    @Test
    void aSecondReferOnTheSameCallStartsClean() throws Exception {
        during = List.of(referResponse("202 Accepted"), notify(2, "486 Busy Here", true));
        result = new TransferResult(TransferStatus.FAILED, 486);
        assertEquals("486", run().get("NotifySipResponseCode"));
        during = List.of(referResponse("405 Method Not Allowed"));
        result = new TransferResult(TransferStatus.FAILED, 405);
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "405"), run());
    }
}
