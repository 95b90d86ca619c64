package io.twimlagi.dial;

import io.twimlagi.call.CallInterrupted;
import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import io.twimlagi.agi.AgiDialer;
import io.twimlagi.config.Domain;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DialExecutor against FakeCall, and the AGI command building/parsing of AgiDialer. */
class DialExecutorTest {
    final FakeCall call = new FakeCall();
    final DialExecutor executor = DialKit.executor();

    CallContext ctx(Domain domain) {
        return new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
                domain);
    }

    CallContext ctx() {
        return ctx(new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr/main.xml",
                HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));
    }

    static Dial dial(String xml) throws Exception {
        return (Dial) TwimlParser.parse(("<Response>" + xml + "</Response>").getBytes(StandardCharsets.UTF_8))
                .verbs().get(0);
    }

    Outcome run(String xml) throws Exception {
        return executor.execute(dial(xml), ctx());
    }

    @Test
    void nounsBecomeOneParallelDialWithTheDefaultRouting() throws Exception {
        run("<Dial timeout=\"12\" timeLimit=\"60\" hangupOnStar=\"true\"><Number>+1 (555) 123-4567</Number>"
                + "<Sip>sip:bob@pbx.example.com;transport=tcp?X-A=1&amp;X-B=a%20b</Sip><Client>alice</Client></Dial>");
        DialRequest r = call.lastDial;
        assertEquals(List.of("PJSIP/+15551234567@trunk", "PJSIP/trunk/sip:bob@pbx.example.com;transport=tcp",
                "PJSIP/alice"), r.legs().stream().map(DialLeg::dialString).toList());
        assertEquals(Map.of("X-A", "1", "X-B", "a b"), r.legs().get(1).headers());
        assertTrue(r.legs().get(1).sip());
        assertEquals(Duration.ofSeconds(12), r.timeout());
        assertEquals(Duration.ofSeconds(60), r.timeLimit());
        assertTrue(r.hangupOnStar());
        assertEquals("PJSIP/+15551234567@trunk&PJSIP/trunk/sip:bob@pbx.example.com;transport=tcp&PJSIP/alice,12,"
                + "gb(twiml-dial-leg^s^1)L(60000)H", AgiDialer.dialArgs(r));
    }

    @Test
    void domainRoutingIsUsed() throws Exception {
        Domain d = new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/x", HttpMethod.POST,
                null, HttpMethod.POST, null, HttpMethod.POST, java.util.Set.of("completed"),
                "PJSIP/carrier/sip:{number}@10.0.0.1", "edge",
                "PJSIP/{client}-agent");
        executor.execute(dial("<Dial><Number>5551234</Number><Sip>sip:x@h</Sip><Client>bo</Client></Dial>"), ctx(d));
        assertEquals(List.of("PJSIP/carrier/sip:5551234@10.0.0.1", "PJSIP/edge/sip:x@h", "PJSIP/bo-agent"),
                call.lastDial.legs().stream().map(DialLeg::dialString).toList());
    }

    @Test
    void invalidNounsAreSkippedAndNothingUnsafeReachesTheDialString() throws Exception {
        run("<Dial><Number>123&amp;PJSIP/evil</Number><Number>1,2</Number><Client>a/b</Client>"
                + "<Sip>sip:x@h,evil</Sip><Sip>sip:x@h?X-Twilio-Foo=1</Sip><Sip>sip:x@h?Contact=evil</Sip>"
                + "<Sip>sip:x@h?X-A=a%0D%0AVia:%20evil</Sip><Number>+15551230000</Number></Dial>");
        assertEquals(List.of("PJSIP/+15551230000@trunk"),
                call.lastDial.legs().stream().map(DialLeg::dialString).toList());
    }

    @Test
    void nothingValidFailsWithoutDialing() throws Exception {
        Outcome o = run("<Dial action=\"/done\"><Number>abc$def</Number></Dial>");
        assertNull(call.lastDial);
        assertEquals(new Outcome.Navigate("https://app.example.com/done", HttpMethod.POST,
                Map.of("DialCallStatus", "failed", "DialBridged", "false")), o);
    }

    @Test
    void answeredActionParams() throws Exception {
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 42, 200, true, "abc-123", false);
        Outcome o = run("<Dial action=\"done\" method=\"GET\"><Sip>sip:bob@h</Sip></Dial>");
        Outcome.Navigate n = assertInstanceOf(Outcome.Navigate.class, o);
        assertEquals("https://app.example.com/ivr/done", n.url());
        assertEquals(HttpMethod.GET, n.method());
        Map<String, String> p = n.extraParams();
        assertEquals("completed", p.get("DialCallStatus"));
        assertEquals("42", p.get("DialCallDuration"));
        assertEquals("true", p.get("DialBridged"));
        assertEquals("abc-123", p.get("DialSipCallId"));
        assertEquals("200", p.get("DialSipResponseCode"));
        assertTrue(p.get("DialCallSid").matches("CA[0-9a-f]{32}"));
        assertTrue(call.isAnswered());
    }

    @Test
    void aLiveUpdateDuringTheDialEndsItWithoutTheActionAndWithoutTheNextNoun() throws Exception {
        call.nextDial = new DialResult(DialOutcome.NO_ANSWER, 0, 0, false, null, false);
        call.duringDial = request -> call.interrupt(); // what a redirect does while Asterisk dials
        assertThrows(CallInterrupted.class, () -> run("<Dial action=\"/done\" sequential=\"true\">"
                + "<Number>+15551230001</Number><Number>+15551230002</Number></Dial>"));
        assertEquals(List.of("PJSIP/+15551230001@trunk"),
                call.lastDial.legs().stream().map(DialLeg::dialString).toList(), "the second noun is not dialed");
    }

    @Test
    void aCallerWhoHangsUpDuringTheDialStillGetsTheAction() throws Exception {
        call.nextDial = new DialResult(DialOutcome.NO_ANSWER, 0, 0, false, null, true);
        call.duringDial = request -> {
            call.hangupReported(); // what Walk.callerGone does on Asterisk's hangup event
            call.interrupt();
        };
        Outcome.Navigate n = assertInstanceOf(Outcome.Navigate.class,
                run("<Dial action=\"/done\"><Number>+15551230001</Number></Dial>"));
        assertEquals("https://app.example.com/done", n.url());
    }

    @Test
    void statusMapping() {
        assertEquals("busy", DialStatuses.callStatus(result(DialOutcome.BUSY, 486)));
        assertEquals("no-answer", DialStatuses.callStatus(result(DialOutcome.NO_ANSWER, 487)));
        assertEquals("canceled", DialStatuses.callStatus(result(DialOutcome.CANCELED, 487)));
        assertEquals("failed", DialStatuses.callStatus(result(DialOutcome.UNAVAILABLE, 404)));
        assertEquals("failed", DialStatuses.callStatus(result(DialOutcome.CONGESTION, 503)));
        assertEquals("no-answer", DialStatuses.callStatus(result(DialOutcome.UNAVAILABLE, 603)));
        assertEquals("busy", DialStatuses.callStatus(result(DialOutcome.BUSY, 600)));
        assertEquals("completed", DialStatuses.callStatus(result(DialOutcome.ANSWERED, 200)));
    }

    static DialResult result(DialOutcome status, int code) {
        return new DialResult(status, 0, code, true, null, false);
    }

    @Test
    void withoutActionTheNextVerbRuns() throws Exception {
        call.nextDial = result(DialOutcome.BUSY, 486);
        assertSame(Outcome.NEXT, run("<Dial><Number>+15551230000</Number></Dial>"));
    }

    @Test
    void callerHangingUpStillRequestsTheAction() throws Exception {
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 5, 200, false, null, true);
        Outcome o = run("<Dial action=\"/a\"><Number>+15551230000</Number></Dial>");
        assertInstanceOf(Outcome.Navigate.class, o);
        assertTrue(call.isGone());
        call.nextDial = new DialResult(DialOutcome.CANCELED, 0, 487, false, null, true);
    }

    @Test
    void callerHangingUpWithoutActionEndsTheCall() throws Exception {
        call.nextDial = new DialResult(DialOutcome.CANCELED, 0, 0, false, null, true);
        assertSame(Outcome.END, run("<Dial><Number>+15551230000</Number></Dial><Say>x</Say>"));
    }

    @Test
    void invalidCallerIdIsIgnoredValidOneIsPassed() throws Exception {
        run("<Dial callerId=\"+1555 ; evil\"><Number>1</Number></Dial>");
        assertNull(call.lastDial.callerId());
        run("<Dial callerId=\"+15550009999\"><Number>1</Number></Dial>");
        assertEquals("+15550009999", call.lastDial.callerId());
    }

    // ------------------------------------------------------------------ AgiDialer (AGI side)

    @Test
    void headerCommandsAndCleanup() {
        DialRequest r = new DialRequest(List.of(new DialLeg("PJSIP/trunk/sip:a@h",
                Map.of("X-A", "v\r\n1"), true)), Duration.ofSeconds(30), Duration.ofSeconds(14400), null, false);
        List<String[]> add = AgiDialer.headerVariables(r, "add");
        assertEquals("PJSIP_INHERITABLE_HEADER(add,X-A)", add.get(0)[0]);
        assertEquals("v1", add.get(0)[1], "control characters never reach Asterisk");
        assertEquals("PJSIP_INHERITABLE_HEADER(remove,X-A)", AgiDialer.headerVariables(r, "remove").get(0)[0]);
        assertEquals("PJSIP/trunk/sip:a@h,30,gb(twiml-dial-leg^s^1)L(14400000)", AgiDialer.dialArgs(r));
    }

    @Test
    void dialStringsAreEscapedAndAmpersandsRefused() {
        DialRequest ipv6 = new DialRequest(List.of(new DialLeg("PJSIP/trunk/sip:a@[::1]", Map.of(),
                true)), Duration.ofSeconds(5), Duration.ofSeconds(10), null, false);
        assertTrue(AgiDialer.dialArgs(ipv6).startsWith("PJSIP/trunk/sip:a@\\[::1\\],5,"));
        DialRequest bad = new DialRequest(List.of(new DialLeg("PJSIP/a&PJSIP/b", Map.of(), false)),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false);
        assertThrows(IllegalArgumentException.class, () -> AgiDialer.dialArgs(bad));
    }

    @Test
    void resultParsing() {
        DialRequest two = new DialRequest(List.of(new DialLeg("PJSIP/1@trunk", Map.of(), false),
                new DialLeg("PJSIP/trunk/sip:b@h", Map.of(), true)), Duration.ofSeconds(5),
                Duration.ofSeconds(10), null, false);
        List<AgiDialer.Leg> legs = AgiDialer.parseLegs("PJSIP/trunk-00000001=id-1|PJSIP/trunk-00000002=id-2|bad name=x|");
        assertEquals(2, legs.size());
        assertEquals("PJSIP/trunk-00000001", legs.get(0).channel());
        assertEquals("${HANGUPCAUSE(PJSIP/trunk-00000001,tech)}|${HANGUPCAUSE(PJSIP/trunk-00000002,tech)}",
                AgiDialer.causesExpression(legs.stream().map(AgiDialer.Leg::channel).toList()));
        // busy: the Sip leg decides
        DialResult busy = AgiDialer.result(two, "BUSY", "", "", legs,
                List.of("SIP 480 Temporarily Unavailable", "SIP 486 Busy Here"), false);
        assertEquals(486, busy.sipCode());
        assertEquals("id-2", busy.sipCallId());
        assertTrue(busy.sipLeg());
        // answered: the bridged leg
        DialResult answered = AgiDialer.result(two, "ANSWER", "17", "PJSIP/trunk-00000001", legs,
                List.of("SIP 200 OK", "SIP 180 Ringing"), false);
        assertEquals(200, answered.sipCode());
        assertEquals(17, answered.answeredSeconds());
        assertFalse(answered.sipLeg());
        // timeout: the last response was 180, the callee's 487 came after the CANCEL
        DialResult timeout = AgiDialer.result(two, "NOANSWER", "", "", legs,
                List.of("SIP 180 Ringing", "SIP 183 Session Progress"), false);
        assertEquals(183, timeout.sipCode(), "Asterisk's record: the last response before its CANCEL");
        assertEquals(487, DialStatuses.sipResponseCode(timeout), "Twilio reports the callee's 487 to that CANCEL");
        // no response at all within the timeout: unreachable
        DialResult silent = AgiDialer.result(two, "NOANSWER", "", "", legs, List.of("", ""), false);
        assertEquals(DialOutcome.NO_RESPONSE, silent.outcome());
        assertEquals("failed", DialStatuses.callStatus(silent));
        assertEquals(0, AgiDialer.sipCode("Q.850;cause=16"));
        assertThrows(IllegalArgumentException.class, () -> AgiDialer.causesExpression(List.of("PJSIP/x)}${EVIL")));
    }
}
