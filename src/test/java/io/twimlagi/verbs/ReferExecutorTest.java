package io.twimlagi.verbs;

import io.twimlagi.call.TransferStatus;
import io.twimlagi.call.TransferResult;
import io.twimlagi.config.Domain;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Refer;
import io.twimlagi.twiml.TwimlParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refer against an in-memory call: answer first, URI validation, Asterisk's result as Twilio's parameters. */
class ReferExecutorTest {
    static final String URI = "sip:agent@pbx.example.com?X-AcctNumber=123456&X-Reason=billing%20question";
    final FakeCall call = new FakeCall();
    final CallContext ctx = new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
            new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
            new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr",
                    HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));

    Outcome run(String xml) throws Exception {
        Refer refer = (Refer) TwimlParser.parse(("<Response>" + xml + "</Response>")
                .getBytes(StandardCharsets.UTF_8)).verbs().get(0);
        return new ReferExecutor(java.time.Duration.ofSeconds(60)).execute(refer, ctx);
    }

    static String refer(String uri) {
        return "<Refer action=\"/referred\" method=\"GET\"><Sip>" + uri.replace("&", "&amp;") + "</Sip></Refer>";
    }

    Map<String, String> paramsFor(TransferResult result) throws Exception {
        call.nextTransfer = result;
        Outcome o = run(refer(URI));
        Outcome.Navigate nav = (Outcome.Navigate) o;
        assertEquals("https://app.example.com/referred", nav.url());
        assertEquals(HttpMethod.GET, nav.method());
        return nav.extraParams();
    }

    @Test
    void answersFirstThenTransfersToTheUriVerbatim() throws Exception {
        paramsFor(new TransferResult(TransferStatus.SUCCEEDED, 0));
        assertEquals(List.of("answer", "transfer " + URI), call.events);
    }

    @Test
    void alreadyAnsweredCallIsNotAnsweredAgain() throws Exception {
        call.answer();
        call.events.clear();
        paramsFor(new TransferResult(TransferStatus.SUCCEEDED, 0));
        assertEquals(List.of("transfer " + URI), call.events);
    }

    @Test
    void successIsInProgress202And200() throws Exception {
        assertEquals(Map.of("ReferCallStatus", "in-progress", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "200"), paramsFor(new TransferResult(TransferStatus.SUCCEEDED, 0)));
    }

    @Test
    void refusedReferIsFailedWithTheReferResponseAndNoNotify() throws Exception {
        for (int code : new int[] {405, 403, 501, 481, 489}) {
            assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", Integer.toString(code)),
                    paramsFor(new TransferResult(TransferStatus.FAILED, code)), "code " + code);
        }
    }

    @Test
    void finalSipfragIsTheTargetsOutcome() throws Exception {
        Map<Integer, String> expected = Map.of(486, "busy", 600, "busy", 480, "no-answer", 408, "no-answer",
                487, "no-answer", 404, "failed", 603, "failed", 503, "failed");
        expected.forEach((code, status) -> {
            try {
                assertEquals(Map.of("ReferCallStatus", status, "ReferSipResponseCode", "202",
                        "NotifySipResponseCode", Integer.toString(code)),
                        paramsFor(new TransferResult(TransferStatus.FAILED, code)), "code " + code);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void failureWithoutCodeOrUnsupportedIsFailedOnly() throws Exception {
        assertEquals(Map.of("ReferCallStatus", "failed"), paramsFor(new TransferResult(TransferStatus.FAILED, 0)));
        assertEquals(Map.of("ReferCallStatus", "failed"), paramsFor(new TransferResult(TransferStatus.FAILED, 1)));
        assertEquals(Map.of("ReferCallStatus", "failed"), paramsFor(new TransferResult(TransferStatus.UNSUPPORTED, 0)));
    }

    @Test
    void boundReachedIsAcceptedButFailed() throws Exception {
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "202"),
                paramsFor(new TransferResult(TransferStatus.TIMED_OUT, 0)));
    }

    @Test
    void callerHangingUpIsCanceledAndTheActionStillRequested() throws Exception {
        call.callerHangsUpAtEvent(1); // 0 = answer, 1 = transfer
        Outcome.Navigate nav = (Outcome.Navigate) run(refer(URI));
        assertEquals(Map.of("ReferCallStatus", "canceled"), nav.extraParams());
        assertTrue(call.isGone());
    }

    @Test
    void callerHangingUpWithoutActionEndsTheCall() {
        call.callerHangsUpAtEvent(1);
        assertThrows(CallGoneException.class, () -> run("<Refer><Sip>sip:a@b.example.com</Sip></Refer>"));
    }

    @Test
    void withoutActionTheNextVerbRuns() throws Exception {
        call.nextTransfer = new TransferResult(TransferStatus.FAILED, 486);
        assertEquals(Outcome.NEXT, run("<Refer><Sip>sip:a@b.example.com</Sip></Refer>"));
        assertEquals(List.of("answer", "transfer sip:a@b.example.com"), call.events);
    }

    @Test
    void goodUris() {
        for (String ok : List.of("sip:alice@example.com", "sips:alice@example.com:5061;transport=tls",
                "SIP:+15551234567@10.0.0.1", "sip:example.com",
                "sip:a@b.example.com?User-to-User=1234%3Bencoding%3Dhex",
                "sip:a@b?x-lower=1&X-Empty=", URI)) {
            assertNull(ReferExecutor.problem(ok), ok);
        }
    }

    @Test
    void badUrisAreSkippedWithTheirErrorCode() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("tel:+15551234567", "13243");
        bad.put("http://example.com", "13243");
        bad.put("sip:a@" + "b".repeat(260), "13243");
        bad.put("sip:a b@example.com", "13243");
        bad.put("sip:a@example.com>;x=<y", "13243");
        bad.put("sip:a@", "13243");
        bad.put("sip:a@example.com?Route=%3Csip:evil%3E", "13252");
        bad.put("sip:a@example.com?Contact=x", "13252");
        bad.put("sip:a@example.com?X-Twilio-Foo=1", "32113");
        bad.put("sip:a@example.com?X-A=1&X-B", "21228");
        bad.put("sip:a@example.com?X-A B=1", "21228");
        bad.put("sip:a@example.com?X-A=a b", "21229");
        bad.put("sip:a@example.com?X-A=a\r\nRoute: <sip:evil>", "21229");
        bad.put("sip:a@example.com?X-A=%zz", "21229");
        bad.put("sip:a@example.com?X-A=" + "v".repeat(1100), "21227");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            String problem = ReferExecutor.problem(e.getKey());
            assertNotNull(problem, e.getKey());
            assertTrue(problem.startsWith("error " + e.getValue()), e.getKey() + " -> " + problem);
        }
        // a skipped Refer neither answers nor transfers
        assertEquals(Outcome.NEXT, run("<Refer action=\"/x\"><Sip>sip:a@example.com?Route=x</Sip></Refer>"));
        assertEquals(Outcome.NEXT, run("<Refer action=\"/x\"><Sip>sip:a@x</Sip><Sip>sip:b@x</Sip></Refer>"));
        assertEquals(Outcome.NEXT, run("<Refer action=\"/x\"/>"));
        assertEquals(List.of(), call.events);
    }
}
