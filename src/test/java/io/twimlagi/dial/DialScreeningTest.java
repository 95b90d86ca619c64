package io.twimlagi.dial;

import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.call.DialResult;
import io.twimlagi.agi.AgiDialer;
import io.twimlagi.config.Domain;
import io.twimlagi.call.AnsweredLeg;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dial with an answered-leg callback (DialSessions): the token in the request, the screening url run on the
 * child leg with its own parameters, and what the action gets when the callee is refused or connected.
 */
class DialScreeningTest {
    static final String PARENT_SID = "CA" + "11".repeat(16);

    /** A screening: what it was asked, and what it answers. */
    static final class FakeScreener implements Screener {
        final List<Map<String, String>> params = new ArrayList<>();
        final List<String> urls = new ArrayList<>();
        final List<HttpMethod> methods = new ArrayList<>();
        final List<Call> calls = new ArrayList<>();
        boolean connect;

        @Override
        public boolean screen(CallContext child, String url, HttpMethod method) {
            params.add(child.params());
            urls.add(url);
            methods.add(method);
            calls.add(child.call());
            return connect;
        }
    }

    final FakeCall call = new FakeCall();
    final FakeCall callee = new FakeCall().alreadyAnswered(); // Asterisk answered it: that is what called us
    final FakeScreener screener = new FakeScreener();
    final DialSessions sessions = new DialSessions(null, screener);
    final DialExecutor executor = DialKit.executor(sessions, null, null, null);
    /** What sessions.answered returned inside the Dial (null: not called). */
    Boolean answeredResult;

    CallContext ctx() {
        return new CallContext(call, PARENT_SID, "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:alice@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
                new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr/main.xml",
                        HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));
    }

    Outcome run(String xml) throws Exception {
        return executor.execute(DialExecutorTest.dial(xml), ctx());
    }

    /** Asterisk runs the answered routine on leg {@code index} while the Dial is in progress. */
    void legAnswers(int index, Map<String, String> okHeaders) {
        call.duringDial = r -> answeredResult = sessions.answered(callee,
                new AnsweredLeg(r.answeredToken(), index, r.legs().size(), "cid", okHeaders));
    }

    static Map<String, String> actionParams(Outcome o) {
        return assertInstanceOf(Outcome.Navigate.class, o).extraParams();
    }

    @Test
    void numberWithScreeningUrlRefusedByTheScreening() throws Exception {
        legAnswers(0, Map.of("X-A", "1"));
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 0, 200, false, "cid", false, 0, java.util.List.of());
        screener.connect = false;
        Outcome o = run("<Dial action=\"/after\"><Number url=\"/screen\" method=\"GET\">+15551230000</Number></Dial>");
        assertTrue(call.lastDial.answeredToken().matches("[0-9a-f]{24}"), call.lastDial.answeredToken());
        assertTrue(AgiDialer.dialArgs(call.lastDial).endsWith("U(twiml-dial-answered^"
                + call.lastDial.answeredToken() + ")"));
        assertEquals(Boolean.FALSE, answeredResult);
        assertEquals(List.of("https://app.example.com/screen"), screener.urls);
        assertEquals(List.of(HttpMethod.GET), screener.methods);
        Map<String, String> child = screener.params.get(0);
        assertEquals("outbound-dial", child.get("Direction"));
        assertEquals(PARENT_SID, child.get("ParentCallSid"));
        assertEquals("in-progress", child.get("CallStatus"));
        assertTrue(child.get("CallSid").matches("CA[0-9a-f]{32}"), child.get("CallSid"));
        assertNotEquals(PARENT_SID, child.get("CallSid"));
        assertEquals("+15551230000", child.get("To"));
        assertEquals("cid", child.get("SipCallId"));
        assertEquals("AC" + "22".repeat(16), child.get("AccountSid"));
        assertFalse(child.containsKey("SipHeader_X-A"), "the 200 OK headers are only for <Sip> legs");
        assertTrue(screener.calls.get(0).isAnswered(), "the child leg is answered");
        assertSame(callee, screener.calls.get(0), "the screening runs on the answered leg (its policy keeps <Hangup> off it)");

        Map<String, String> p = actionParams(o);
        assertEquals("https://app.example.com/after", assertInstanceOf(Outcome.Navigate.class, o).url());
        assertEquals("completed", p.get("DialCallStatus"));
        assertEquals("false", p.get("DialBridged"));
        assertEquals(child.get("CallSid"), p.get("DialCallSid"));
        assertFalse(p.containsKey("DialCallDuration"));
    }

    @Test
    void sipWithScreeningUrlConnectedKeepsTheOkHeaders() throws Exception {
        legAnswers(0, Map.of("X-A", "1"));
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 7, 200, true, "cid", false, 0, java.util.List.of());
        screener.connect = true;
        Outcome o = run("<Dial action=\"/after\"><Sip url=\"screen.xml\">sip:bob@pbx.example.com</Sip></Dial>");
        assertNotNull(call.lastDial.answeredToken());
        assertEquals(Boolean.TRUE, answeredResult);
        assertEquals(List.of("https://app.example.com/ivr/screen.xml"), screener.urls);
        assertEquals(List.of(HttpMethod.POST), screener.methods);
        Map<String, String> child = screener.params.get(0);
        assertEquals("1", child.get("SipHeader_X-A"));
        assertEquals("sip:bob@pbx.example.com", child.get("To"));
        assertEquals("outbound-dial", child.get("Direction"));

        Map<String, String> p = actionParams(o);
        assertEquals("completed", p.get("DialCallStatus"));
        assertEquals("true", p.get("DialBridged"));
        assertEquals("7", p.get("DialCallDuration"));
        assertEquals(child.get("CallSid"), p.get("DialCallSid"));
        assertEquals("1", p.get("DialSipHeader_X-A"));
        assertEquals("cid", p.get("DialSipCallId"));
        assertEquals("200", p.get("DialSipResponseCode"));
    }

    @Test
    void aSipNounWithAnActionCallsBackForTheHeadersWithoutScreening() throws Exception {
        legAnswers(0, Map.of("X-A", "1", "X-Other", "v"));
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 3, 200, true, "cid", false, 0, java.util.List.of());
        Outcome o = run("<Dial action=\"/after\"><Sip>sip:bob@pbx.example.com</Sip></Dial>");
        assertNotNull(call.lastDial.answeredToken());
        assertEquals(Boolean.TRUE, answeredResult);
        assertTrue(screener.urls.isEmpty(), "no url: no screening");
        Map<String, String> p = actionParams(o);
        assertEquals("1", p.get("DialSipHeader_X-A"));
        assertEquals("v", p.get("DialSipHeader_X-Other"));
        assertEquals("true", p.get("DialBridged"));
    }

    @Test
    void noCallbackWithoutUrlOrSipAction() throws Exception {
        run("<Dial><Number>+15551230000</Number></Dial>");
        assertNull(call.lastDial.answeredToken());
        assertFalse(AgiDialer.dialArgs(call.lastDial).contains("U("));
        run("<Dial action=\"/after\"><Number>+15551230000</Number><Client>alice</Client></Dial>");
        assertNull(call.lastDial.answeredToken(), "only <Sip> legs report 200 OK headers");
        run("<Dial><Sip>sip:bob@pbx.example.com</Sip></Dial>");
        assertNull(call.lastDial.answeredToken(), "no action: nobody gets the headers");
    }

    @Test
    void theSecondLegsUrlScreensTheSecondLeg() throws Exception {
        legAnswers(1, Map.of("X-A", "1"));
        call.nextDial = new DialResult(DialOutcome.ANSWERED, 0, 200, true, "cid", false, 1, java.util.List.of());
        run("<Dial action=\"/after\"><Number url=\"/n\">+15551230000</Number><Sip url=\"/s\">sip:bob@h</Sip>"
                + "</Dial>");
        assertEquals(List.of("https://app.example.com/s"), screener.urls);
        assertEquals("1", screener.params.get(0).get("SipHeader_X-A"));
    }

    @Test
    void anUnknownLegOfSeveralIsConnectedUnscreened() throws Exception {
        legAnswers(-1, Map.of());
        run("<Dial><Number url=\"/n\">+15551230000</Number><Number url=\"/m\">+15551230001</Number></Dial>");
        assertEquals(Boolean.TRUE, answeredResult);
        assertTrue(screener.urls.isEmpty());
    }

    @Test
    void anUnknownLegOfOneIsThatLeg() throws Exception {
        legAnswers(-1, Map.of());
        screener.connect = true;
        run("<Dial><Number url=\"/n\">+15551230000</Number></Dial>");
        assertEquals(List.of("https://app.example.com/n"), screener.urls);
    }

    @Test
    void unknownTokensAndFinishedDialsAreConnected() throws Exception {
        assertTrue(sessions.answered(callee, new AnsweredLeg("ffffffffffffffffffffffff", 0, 1, "x", Map.of())));
        screener.connect = false;
        run("<Dial><Number url=\"/screen\">+15551230000</Number></Dial>");
        String token = call.lastDial.answeredToken();
        assertNotNull(token);
        // the Dial is over: its session is gone, a late callback changes nothing
        assertTrue(sessions.answered(callee, new AnsweredLeg(token, 0, 1, "x", Map.of())));
        assertTrue(screener.urls.isEmpty());
        assertTrue(callee.events.isEmpty());
    }

    @Test
    void tokensDifferPerDial() throws Exception {
        run("<Dial><Number url=\"/screen\">+15551230000</Number></Dial>");
        String first = call.lastDial.answeredToken();
        run("<Dial><Number url=\"/screen\">+15551230000</Number></Dial>");
        assertNotEquals(first, call.lastDial.answeredToken());
    }

    @Test
    void withoutAScreenerEveryLegIsConnected() throws Exception {
        DialSessions bare = new DialSessions(null, null);
        DialExecutor e = DialKit.executor(bare, null, null, null);
        call.duringDial = r -> answeredResult = bare.answered(callee, new AnsweredLeg(r.answeredToken(), 0, 1, "c",
                Map.of()));
        e.execute(DialExecutorTest.dial("<Dial><Number url=\"/screen\">+15551230000</Number></Dial>"), ctx());
        assertEquals(Boolean.TRUE, answeredResult);
    }

    @Test
    void ringTonePassesThroughOnlyWhenKnown() throws Exception {
        run("<Dial ringTone=\"uk\"><Number>+15551230000</Number></Dial>");
        assertEquals("uk", call.lastDial.ringTone());
        assertTrue(AgiDialer.dialArgs(call.lastDial).endsWith(")r"), AgiDialer.dialArgs(call.lastDial));
        run("<Dial ringTone=\"xx\"><Number>+15551230000</Number></Dial>");
        assertNull(call.lastDial.ringTone());
        run("<Dial ringTone=\"us-old\"><Number>+15551230000</Number></Dial>");
        assertEquals("us-old", call.lastDial.ringTone());
        run("<Dial><Number>+15551230000</Number></Dial>");
        assertNull(call.lastDial.ringTone());
        assertNull(call.lastDial.recording());
    }

    @Test
    void whenAsteriskCreatedFewerLegsThanNounsTheIndexIsNotTrustedAndNothingIsScreened() throws Exception {
        screener.connect = false;
        // two nouns, but Asterisk made only one channel: index 0 may be either noun
        call.duringDial = r -> answeredResult = sessions.answered(callee,
                new AnsweredLeg(r.answeredToken(), 0, 1, "cid", Map.of()));
        run("<Dial><Number url=\"/screen-a\">+15551230000</Number><Number url=\"/screen-b\">+15551230001</Number>"
                + "</Dial>");
        assertEquals(Boolean.TRUE, answeredResult, "bridged without screening");
        assertTrue(screener.urls.isEmpty(), "no screening of a guessed noun: " + screener.urls);
    }
}
