package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.SipMessage;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code <Dial>} on a real Asterisk 22: the caller is a sipp UAC, the callee a second sipp run as UAS on the
 * PJSIP "trunk" contact (127.0.0.1:5070), "alice" (5071) or a {@code <Sip>} URI's port.
 */
class DialIT {
    static Bench bench;
    static final int TRUNK = 5070;
    static final int ALICE = 5071;
    static final int SIP_PORT = 5072;
    static final String BYE_TWIML = "<Response><Say>Back from the dial.</Say><Hangup/></Response>";

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    /** Starts a callee sipp (UAS) on {@code port}; it handles one call. */
    static CompletableFuture<SippResult> callee(String scenario, int port, Duration ring, Duration talk,
                                                int finalCode) throws InterruptedException {
        CompletableFuture<SippResult> f = Sipp.scenario(scenario).arg("-p", Integer.toString(port))
                .key("ring_ms", Long.toString(ring.toMillis())).pause(talk).finalCode(finalCode)
                .timeout(Duration.ofSeconds(40)).start();
        Sipp.awaitBound(port, Duration.ofSeconds(10));
        return f;
    }

    static CompletableFuture<SippResult> caller(String user) {
        return Sipp.scenario("answer-wait-bye.xml").service(user).domain(Bench.DOMAIN)
                .timeout(Duration.ofSeconds(40)).start();
    }

    static SippResult ok(CompletableFuture<SippResult> run, String who) throws Exception {
        SippResult r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> who + " sipp failed:\n" + r.ladder() + "\n" + r.output() + "\n"
                + r.errors());
        return r;
    }

    static SipMessage calleeInvite(SippResult callee) {
        return callee.receivedRequests("INVITE").get(0);
    }

    static WebhookApp.Hit action(String user) throws InterruptedException {
        List<WebhookApp.Hit> hits = bench.app.awaitHits(user, 2, Duration.ofSeconds(20));
        WebhookApp.Hit a = hits.get(1);
        assertEquals("/dialed", a.path());
        assertTrue(a.signatureValid(), "action request signed");
        return a;
    }

    @Test
    void numberAnswersIsBridgedAndTheActionGetsTheResult() throws Exception {
        String user = "d-answer";
        bench.app.on(user, "/voice", "<Response><Dial action=\"/dialed\"><Number>+1 555-123-0001</Number></Dial>"
                + "<Say>never</Say></Response>");
        bench.app.on(user, "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> callee = callee("uas-answer.xml", TRUNK, Duration.ofMillis(500),
                Duration.ofSeconds(2), 200);
        CompletableFuture<SippResult> caller = caller(user);
        SippResult ce = ok(callee, "callee");
        ok(caller, "caller");
        assertTrue(calleeInvite(ce).requestUri().startsWith("sip:+15551230001@127.0.0.1:5070"),
                calleeInvite(ce).requestUri());
        Map<String, String> p = action(user).params();
        assertEquals("completed", p.get("DialCallStatus"));
        assertEquals("true", p.get("DialBridged"));
        assertTrue(p.get("DialCallSid").matches("CA[0-9a-f]{32}"), p.toString());
        assertTrue(Integer.parseInt(p.get("DialCallDuration")) >= 1 && Integer.parseInt(p.get("DialCallDuration")) <= 4,
                p.toString());
        assertEquals("in-progress", p.get("CallStatus"));
        assertNull(p.get("DialSipResponseCode"), "no Sip noun, no DialSip* params");
    }

    @Test
    void sipHeadersAndCallerIdReachTheCalleeInviteExactly() throws Exception {
        String user = "d-headers";
        bench.app.on(user, "/voice", "<Response><Dial action=\"/dialed\" callerId=\"+15550009999\">"
                + "<Sip>sip:bob@127.0.0.1:" + SIP_PORT + "?X-Customer-Id=42&amp;x-note=a%20b%3Dc%3Bd"
                + "&amp;User-to-User=123%3Bencoding%3Dhex</Sip></Dial></Response>");
        bench.app.on(user, "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> callee = callee("uas-answer.xml", SIP_PORT, Duration.ofMillis(300),
                Duration.ofSeconds(1), 200);
        CompletableFuture<SippResult> caller = caller(user);
        SippResult ce = ok(callee, "callee");
        ok(caller, "caller");
        SipMessage invite = calleeInvite(ce);
        assertTrue(invite.requestUri().startsWith("sip:bob@127.0.0.1:" + SIP_PORT), invite.requestUri());
        assertEquals("42", invite.header("X-Customer-Id"), invite.toString());
        assertEquals("a b=c;d", invite.header("x-note"));
        assertEquals("123;encoding=hex", invite.header("User-to-User"));
        assertTrue(invite.header("From").contains("sip:+15550009999@"), invite.header("From"));
        Map<String, String> p = action(user).params();
        assertEquals("completed", p.get("DialCallStatus"));
        assertEquals("200", p.get("DialSipResponseCode"));
        assertEquals(invite.header("Call-ID"), p.get("DialSipCallId"));
    }

    @Test
    void busy486() throws Exception {
        String user = "d-busy";
        bench.app.on(user, "/voice", "<Response><Dial action=\"/dialed\"><Sip>sip:bob@127.0.0.1:" + SIP_PORT
                + "</Sip></Dial></Response>");
        bench.app.on(user, "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> callee = callee("uas-reject.xml", SIP_PORT, Duration.ofMillis(300),
                Duration.ZERO, 486);
        CompletableFuture<SippResult> caller = caller(user);
        SippResult ce = ok(callee, "callee");
        ok(caller, "caller");
        Map<String, String> p = action(user).params();
        assertEquals("busy", p.get("DialCallStatus"));
        assertEquals("false", p.get("DialBridged"));
        assertEquals("486", p.get("DialSipResponseCode"));
        assertEquals(calleeInvite(ce).header("Call-ID"), p.get("DialSipCallId"));
        assertNull(p.get("DialCallDuration"));
        // from the 486 itself (uas-reject.xml), read from Asterisk's HEP capture: AGI never sees a 486's headers
        assertEquals("rejected", p.get("DialSipHeader_X-Callee-Result"));
    }

    @Test
    void declined603WithoutActionRunsTheNextVerbs() throws Exception {
        String user = "d-decline";
        bench.app.on(user, "/voice", "<Response><Dial><Sip>sip:bob@127.0.0.1:" + SIP_PORT
                + "</Sip></Dial><Redirect>/after</Redirect></Response>");
        bench.app.on(user, "/after", BYE_TWIML);
        CompletableFuture<SippResult> callee = callee("uas-reject.xml", SIP_PORT, Duration.ofMillis(300),
                Duration.ZERO, 603);
        CompletableFuture<SippResult> caller = caller(user);
        ok(callee, "callee");
        ok(caller, "caller");
        List<WebhookApp.Hit> hits = bench.app.awaitHits(user, 2, Duration.ofSeconds(10));
        assertEquals("/after", hits.get(1).path(), "the verb after Dial ran");
    }

    @Test
    void noAnswerTimesOut() throws Exception {
        String user = "d-noanswer";
        bench.app.on(user, "/voice", "<Response><Dial action=\"/dialed\" timeout=\"5\"><Sip>sip:bob@127.0.0.1:"
                + SIP_PORT + "</Sip></Dial></Response>");
        bench.app.on(user, "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> callee = callee("uas-noanswer.xml", SIP_PORT, Duration.ZERO, Duration.ZERO,
                200);
        long t0 = System.currentTimeMillis();
        CompletableFuture<SippResult> caller = caller(user);
        ok(callee, "callee");
        WebhookApp.Hit a = action(user);
        ok(caller, "caller");
        long waited = a.atMillis() - t0;
        assertTrue(waited >= 4500 && waited < 9000, "timeout=5 took " + waited + " ms");
        assertEquals("no-answer", a.params().get("DialCallStatus"));
        assertEquals("487", a.params().get("DialSipResponseCode"));
    }

    @Test
    void unreachableFails() throws Exception {
        String user = "d-unreach";
        bench.app.on(user, "/voice", "<Response><Dial action=\"/dialed\" timeout=\"10\"><Sip>sip:bob@127.0.0.1:5079"
                + "</Sip></Dial></Response>");
        bench.app.on(user, "/dialed", BYE_TWIML);
        ok(caller(user), "caller");
        Map<String, String> p = action(user).params();
        assertEquals("failed", p.get("DialCallStatus"), p.toString());
        assertEquals("false", p.get("DialBridged"));
    }

    @Test
    void answerOnBridgeKeepsTheCallerRingingUntilTheCalleeAnswers() throws Exception {
        String user = "d-aob";
        bench.app.on(user, "/voice", "<Response><Dial answerOnBridge=\"true\" action=\"/dialed\">"
                + "<Number>+15551230002</Number></Dial></Response>");
        bench.app.on(user, "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> callee = callee("uas-answer.xml", TRUNK, Duration.ofSeconds(3),
                Duration.ofSeconds(1), 200);
        CompletableFuture<SippResult> caller = caller(user);
        SippResult ce = ok(callee, "callee");
        SippResult cr = ok(caller, "caller");
        SipMessage callee200 = ce.sent().stream().filter(m -> m.isResponse() && m.statusCode() == 200
                && m.method().equals("INVITE")).findFirst().orElseThrow();
        SipMessage caller200 = cr.firstResponse(200).orElseThrow();
        SipMessage caller180 = cr.firstResponse(180).orElseThrow();
        assertTrue(cr.sawBefore(180, 200), cr.ladder());
        assertFalse(caller200.time().isBefore(callee200.time()),
                "caller 200 at " + caller200.time() + " before the callee's 200 at " + callee200.time());
        assertTrue(ChronoUnit.MILLIS.between(caller180.time(), caller200.time()) >= 2500, cr.ladder());
        assertEquals("completed", action(user).params().get("DialCallStatus"));
    }

    @Test
    void twoNounsRingAtOnceAndTheFirstToAnswerWins() throws Exception {
        String user = "d-fork";
        bench.app.on(user, "/voice", "<Response><Dial action=\"/dialed\"><Number>+15551230003</Number>"
                + "<Client>alice</Client></Dial></Response>");
        bench.app.on(user, "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> ringing = callee("uas-noanswer.xml", TRUNK, Duration.ZERO, Duration.ZERO, 200);
        CompletableFuture<SippResult> answering = callee("uas-answer.xml", ALICE, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 200);
        CompletableFuture<SippResult> caller = caller(user);
        ok(answering, "alice");
        SippResult r = ok(ringing, "trunk");
        ok(caller, "caller");
        assertEquals(1, r.receivedRequests("CANCEL").size(), "the other leg is cancelled");
        assertEquals("completed", action(user).params().get("DialCallStatus"));
    }

    @Test
    void callerHangingUpWhileBridgedStillRequestsTheAction() throws Exception {
        String user = "d-caller-bye";
        bench.app.on(user, "/voice", "<Response><Dial action=\"/dialed\"><Number>+15551230004</Number></Dial>"
                + "</Response>");
        bench.app.on(user, "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", TRUNK, Duration.ofMillis(300),
                Duration.ZERO, 200);
        CompletableFuture<SippResult> caller = Sipp.scenario("answer-bye.xml").service(user).domain(Bench.DOMAIN)
                .pause(Duration.ofSeconds(3)).timeout(Duration.ofSeconds(30)).start();
        ok(caller, "caller");
        ok(callee, "callee");
        Map<String, String> p = action(user).params();
        assertEquals("completed", p.get("DialCallStatus"));
        assertEquals("true", p.get("DialBridged"));
        assertEquals("completed", p.get("CallStatus"), "the caller is gone");
    }

    @Test
    void hangupOnStarEndsTheCalleeLegAndTheCallerContinues() throws Exception {
        String user = "d-star";
        bench.app.on(user, "/voice", "<Response><Dial hangupOnStar=\"true\"><Number>+15551230005</Number></Dial>"
                + "<Redirect>/after</Redirect></Response>");
        bench.app.on(user, "/after", BYE_TWIML);
        CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", TRUNK, Duration.ofMillis(300),
                Duration.ZERO, 200);
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> caller = Sipp.scenario("answer-wait-bye.xml").service(user)
                    .domain(Bench.DOMAIN).rtpPort(sink.port()).timeout(Duration.ofSeconds(40)).start();
            awaitBridged(Duration.ofSeconds(15));
            assertTrue(sink.awaitPackets(1, Duration.ofSeconds(5)), "Asterisk's RTP address is known");
            sink.sendDtmf('*', Duration.ofMillis(200));
            ok(callee, "callee");
            List<WebhookApp.Hit> hits = bench.app.awaitHits(user, 2, Duration.ofSeconds(10));
            assertEquals("/after", hits.get(1).path(), "the caller's TwiML continued after *");
            ok(caller, "caller");
        }
    }

    /** Polls Asterisk's CLI until a bridge holds two channels (the caller and the callee). */
    static void awaitBridged(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        // "bridge show all": a header, then per bridge: <id> [<name>] <channels> <type> <technology> <duration>
        while (bench.asterisk.cli("bridge show all").lines().skip(1).map(l -> l.trim().split("\\s+"))
                .noneMatch(t -> (t.length > 4 && t[1].equals("2")) || (t.length > 5 && t[2].equals("2")))) {
            assertTrue(System.nanoTime() < deadline, "never bridged: " + bench.asterisk.cli("bridge show all"));
            Thread.sleep(50);
        }
    }
}
