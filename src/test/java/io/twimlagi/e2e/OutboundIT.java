package io.twimlagi.e2e;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallCreator;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.SipMessage;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.records.CallRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * REST-created calls on a real Asterisk 22, driven by Twilio's own Java SDK pointed at the server's http_bind: the
 * callee is a sipp UAS on 127.0.0.1:{@value #CALLEE} (an RtpSink hears what the call's TwiML plays to it). Create
 * (INVITE, callbacks, the TwiML's request and audio), busy, no answer, wrong digest credentials, and live updates:
 * new TwiML during a Pause and a Say, Status=completed, Status=canceled while ringing, an ended call.
 */
class OutboundIT {
    static final int CALLEE = 5076;
    /** A second callee that the created call's TwiML Dials. */
    static final int AGENT = 5078;
    static final List<String> ALL_EVENTS = List.of("initiated", "ringing", "answered", "completed");
    static Bench bench;
    static TwilioSdk sdk;
    static TwilioRestClient client;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
        bench.app.always("/media/a440.wav", LiveUpdateIT.wav(440, 3.0));
        bench.app.always("/media/b1000.wav", LiveUpdateIT.wav(1000, 1.5));
        sdk = new TwilioSdk(Bench.TOKEN);
        client = sdk.client;
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static CompletableFuture<SippResult> callee(String scenario, Duration ring, int finalCode, RtpSink sink,
                                                String... keys) {
        Sipp s = Sipp.scenario(scenario).arg("-p", Integer.toString(CALLEE)).key("ring_ms",
                Long.toString(ring.toMillis())).finalCode(finalCode).timeout(Duration.ofSeconds(40));
        if (sink != null) s.rtpPort(sink.port());
        for (int i = 0; i + 1 < keys.length; i += 2) s.key(keys[i], keys[i + 1]);
        CompletableFuture<SippResult> f = s.start();
        Sipp.awaitBound(CALLEE, Duration.ofSeconds(10));
        return f;
    }

    static SippResult ok(CompletableFuture<SippResult> run) throws Exception {
        SippResult r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> "callee sipp failed:\n" + r.ladder() + "\n" + r.output() + "\n"
                + r.errors());
        return r;
    }

    /** A call to {@code user} at the callee, every status callback asked for. */
    static CallCreator creator(String user, String query, Twiml twiml, int timeout) {
        PhoneNumber to = new PhoneNumber("sip:" + user + "@127.0.0.1:" + CALLEE + query);
        PhoneNumber from = new PhoneNumber("+15550001234");
        return (twiml != null ? Call.creator(to, from, twiml) : Call.creator(to, from, URI.create(bench.app.url("/"
                + user)))).setStatusCallback(bench.app.url(WebhookApp.STATUS_PATH)).setStatusCallbackEvent(ALL_EVENTS)
                .setTimeout(timeout);
    }

    static Call create(String user, String query, Twiml twiml, int timeout) {
        return creator(user, query, twiml, timeout).create(client);
    }

    /** The call's status callbacks once {@code n} arrived, by SequenceNumber. */
    static List<Map<String, String>> callbacks(String user, int n) throws InterruptedException {
        List<Map<String, String>> hits = bench.app.awaitStatusHits(user, n, Duration.ofSeconds(20)).stream()
                .peek(h -> assertTrue(h.signatureValid(), "callback signed")).map(WebhookApp.Hit::params)
                .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.get("SequenceNumber")))).toList();
        assertEquals(n, hits.size(), hits.toString());
        return hits;
    }

    static List<String> statuses(List<Map<String, String>> callbacks) {
        return callbacks.stream().map(p -> p.get("CallStatus")).toList();
    }

    static CallRecord record(String sid) {
        return bench.server.records().fetchCall(sid).orElseThrow(() -> new AssertionError("no record of " + sid));
    }

    static Call awaitStatus(String sid, Call.Status status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Call c = Call.fetcher(sid).fetch(client);
            if (c.getStatus() == status || System.nanoTime() > deadline) {
                assertEquals(status, c.getStatus());
                return c;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aCreatedCallRingsTheCalleeRunsItsTwimlOnAnswerAndReportsEveryStep() throws Exception {
        String user = "ob-answer";
        bench.app.on(user, "/" + user, "<Response><Play>/media/a440.wav</Play><Hangup/></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", Duration.ofMillis(500), 200, sink);
            // X-Odd: text that Asterisk's manager and Dial parsers would split or evaluate, were it not escaped
            Call call = creator(user, "?X-Campaign=summer&X-Customer-Id=42&X-Odd=a%2CTWIML_DIAL%3Dx%28b%29%5Bc%5D"
                    + "%24%7BEXTEN%7D", null, 20).setSendDigits("w1234").create(client);
            assertEquals(201, sdk.lastStatus());
            assertEquals(Call.Status.QUEUED, call.getStatus());
            assertEquals("outbound-api", call.getDirection());
            assertTrue(sink.awaitDtmf("1234", Duration.ofSeconds(20)), "SendDigits reach the callee");
            assertTrue(sink.awaitToneMillis(440, 1500, 0, Duration.ofSeconds(20)), "the TwiML's Play is heard");
            SippResult ce = ok(callee);
            SipMessage invite = ce.receivedRequests("INVITE").get(0);
            assertTrue(invite.requestUri().startsWith("sip:" + user + "@127.0.0.1:" + CALLEE), invite.requestUri());
            assertTrue(invite.header("To").contains("sip:" + user + "@127.0.0.1"), invite.header("To"));
            assertTrue(invite.header("From").contains("sip:+15550001234@"), invite.header("From"));
            assertEquals("summer", invite.header("X-Campaign"));
            assertEquals("42", invite.header("X-Customer-Id"));
            assertEquals("a,TWIML_DIAL=x(b)[c]${EXTEN}", invite.header("X-Odd"), "as text, through AMI and dialplan");
            assertEquals(1, ce.receivedRequests("BYE").size(), "the Hangup reached the callee");

            WebhookApp.Hit twiml = bench.app.awaitHits(user, 1, Duration.ofSeconds(5)).get(0);
            assertTrue(twiml.signatureValid(), "the TwiML request is signed");
            Map<String, String> p = twiml.params();
            assertEquals("outbound-api", p.get("Direction"));
            assertEquals("in-progress", p.get("CallStatus"));
            assertEquals(call.getSid(), p.get("CallSid"));
            assertEquals(Bench.ACCOUNT, p.get("AccountSid"));
            assertEquals("+15550001234", p.get("From"));
            assertTrue(p.get("To").startsWith("sip:" + user + "@127.0.0.1"), p.get("To"));

            List<Map<String, String>> cb = callbacks(user, 4);
            assertEquals(List.of("initiated", "ringing", "in-progress", "completed"), statuses(cb));
            for (int i = 0; i < 4; i++) assertEquals(Integer.toString(i), cb.get(i).get("SequenceNumber"));
            assertEquals("200", cb.get(3).get("SipResponseCode"));
            Call done = awaitStatus(call.getSid(), Call.Status.COMPLETED);
            assertNotNull(done.getStartTime());
            assertTrue(Integer.parseInt(done.getDuration()) >= 3, done.getDuration());
        }
    }

    @Test
    void aBusyCalleeEndsTheCallBusyWith486() throws Exception {
        String user = "ob-busy";
        CompletableFuture<SippResult> callee = callee("uas-reject.xml", Duration.ofMillis(200), 486, null);
        Call call = create(user, "", new Twiml("<Response><Say>never</Say></Response>"), 20);
        ok(callee);
        List<Map<String, String>> cb = callbacks(user, 3);
        assertEquals(List.of("initiated", "ringing", "busy"), statuses(cb));
        assertEquals("486", cb.get(2).get("SipResponseCode"));
        awaitStatus(call.getSid(), Call.Status.BUSY);
        assertEquals(486, record(call.getSid()).sipResponseCode());
        assertEquals(0, bench.app.hits(user).size(), "no TwiML for an unanswered call");
    }

    @Test
    void aCalleeThatNeverAnswersIsCanceledAfterTimeoutAndEndsNoAnswer() throws Exception {
        String user = "ob-noanswer";
        CompletableFuture<SippResult> callee = callee("uas-noanswer.xml", Duration.ZERO, 200, null);
        long t0 = System.nanoTime();
        Call call = create(user, "", new Twiml("<Response><Say>never</Say></Response>"), 3);
        SippResult ce = ok(callee);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, ce.receivedRequests("CANCEL").size(), "the callee got CANCEL");
        assertTrue(ms >= 2500 && ms < 6000, "Timeout=3 rang " + ms + " ms");
        List<Map<String, String>> cb = callbacks(user, 3);
        assertEquals(List.of("initiated", "ringing", "no-answer"), statuses(cb));
        awaitStatus(call.getSid(), Call.Status.NO_ANSWER);
    }

    @Test
    void aTimeLimitEndsTheAnsweredCall() throws Exception {
        String user = "ob-limit";
        bench.app.on(user, "/" + user, "<Response><Pause length=\"30\"/></Response>");
        CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", Duration.ofMillis(200), 200, null);
        Call call = creator(user, "", null, 20).setTimeLimit(2).create(client);
        long answered = bench.app.awaitHits(user, 1, Duration.ofSeconds(20)).get(0).atMillis();
        SippResult ce = ok(callee);
        long ms = System.currentTimeMillis() - answered;
        assertEquals(1, ce.receivedRequests("BYE").size(), "the callee got BYE");
        assertTrue(ms >= 1500 && ms < 5000, "TimeLimit=2 ended it after " + ms + " ms, not after the Pause");
        Map<String, String> completed = callbacks(user, 4).get(3);
        assertEquals("completed", completed.get("CallStatus"));
        assertTrue(Set.of("2", "3").contains(completed.get("CallDuration")), completed.toString());
        awaitStatus(call.getSid(), Call.Status.COMPLETED);
    }

    /** Twilio reports a callee that refuses the credentials as failed, with its final response (403 here). */
    @Test
    void wrongSipCredentialsFailTheCallWithTheCalleesCode() throws Exception {
        String user = "ob-auth";
        CompletableFuture<SippResult> callee = callee("uas-auth.xml", Duration.ofMillis(200), 200, null,
                "auth_user", "alice", "auth_pass", "right-secret");
        Call call = Call.creator(new PhoneNumber("sip:" + user + "@127.0.0.1:" + CALLEE),
                new PhoneNumber("+15550001234"), new Twiml("<Response><Say>never</Say></Response>"))
                .setSipAuthUsername("alice").setSipAuthPassword("wrong-secret")
                .setStatusCallback(bench.app.url(WebhookApp.STATUS_PATH)).setStatusCallbackEvent(ALL_EVENTS)
                .create(client);
        SippResult ce = ok(callee);
        assertEquals(2, ce.receivedRequests("INVITE").size(), "the challenge was answered (wrongly)");
        List<Map<String, String>> cb = callbacks(user, 2);
        assertEquals("failed", cb.get(cb.size() - 1).get("CallStatus"), cb.toString());
        assertEquals("403", cb.get(cb.size() - 1).get("SipResponseCode"));
        awaitStatus(call.getSid(), Call.Status.FAILED);
        assertEquals(403, record(call.getSid()).sipResponseCode());
    }

    /**
     * A live update with Twiml while {@code first} runs: the new document's Redirect reaches the app within 1 s of
     * the SDK call, its audio is heard, and nothing of {@code first} runs after it.
     */
    void updateWhile(String user, String first, boolean speech) throws Exception {
        bench.app.on(user, "/" + user, first);
        bench.app.on(user, "/next", "<Response><Play>/media/b1000.wav</Play><Hangup/></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", Duration.ofMillis(200), 200, sink);
            Call call = create(user, "", null, 20);
            if (speech) assertTrue(sink.awaitSpeechMillis(500, Duration.ofSeconds(20)), "the Say is heard");
            else assertTrue(sink.awaitToneMillis(440, 500, 0, Duration.ofSeconds(20)), "the first Play is heard");
            if (!speech) assertTrue(sink.awaitQuiet(Duration.ofMillis(300), Duration.ofSeconds(10)), "in the Pause");
            int mark = sink.sampleCount();
            long asked = System.currentTimeMillis();
            Call updated = Call.updater(call.getSid()).setTwiml(new Twiml("<Response><Redirect>" + bench.app.url("/next")
                    + "</Redirect></Response>")).update(client);
            assertEquals(call.getSid(), updated.getSid());
            WebhookApp.Hit next = bench.app.awaitHits(user, 2, Duration.ofSeconds(5)).get(1);
            assertEquals("/next", next.path());
            assertTrue(next.atMillis() - asked < 1000, "the update took over in " + (next.atMillis() - asked) + " ms");
            assertTrue(sink.awaitToneMillis(1000, 500, mark, Duration.ofSeconds(10)), "the new TwiML is heard");
            ok(callee);
            assertEquals(2, bench.app.hits(user).size(), "the first document, then the update's Redirect only");
            ApiException over = assertThrows(ApiException.class, () -> Call.updater(call.getSid())
                    .setTwiml(new Twiml("<Response><Say>late</Say></Response>")).update(client));
            assertEquals(21220, over.getCode());
            assertEquals(400, over.getStatusCode());
        }
    }

    @Test
    void newTwimlTakesOverAPauseWithinASecond() throws Exception {
        updateWhile("ob-upd-pause", "<Response><Play>/media/a440.wav</Play><Pause length=\"30\"/>"
                + "<Say>never heard</Say></Response>", false);
    }

    @Test
    void newTwimlTakesOverASayWithinASecond() throws Exception {
        updateWhile("ob-upd-say", "<Response><Say loop=\"0\">This announcement goes on and on and on.</Say>"
                + "</Response>", true);
    }

    @Test
    void statusCompletedHangsUpAnAnsweredCall() throws Exception {
        String user = "ob-hangup";
        bench.app.on(user, "/" + user, "<Response><Play>/media/a440.wav</Play><Pause length=\"30\"/></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", Duration.ofMillis(200), 200, sink);
            Call call = create(user, "", null, 20);
            assertTrue(sink.awaitToneMillis(440, 500, 0, Duration.ofSeconds(20)), "answered and playing");
            long asked = System.nanoTime();
            Call.updater(call.getSid()).setStatus(Call.UpdateStatus.COMPLETED).update(client);
            SippResult ce = ok(callee);
            long ms = (System.nanoTime() - asked) / 1_000_000;
            assertEquals(1, ce.receivedRequests("BYE").size(), "the callee got BYE");
            assertTrue(ms < 3000, "BYE " + ms + " ms after the update");
            assertEquals("completed", callbacks(user, 4).get(3).get("CallStatus"));
            awaitStatus(call.getSid(), Call.Status.COMPLETED);
        }
    }

    /**
     * A created call that Dials another party (the usual "call the customer, then connect an agent"): the REST
     * call's Local channel pair is in two bridges then, and Asterisk must not optimize it away (Local/.../n), or the
     * two callees would be joined directly and the call's TwiML would lose them: no action, no TwiML after.
     */
    @Test
    void aCreatedCallThatDialsAnAgentKeepsTheBridgeAndRunsTheActionAfter() throws Exception {
        String user = "ob-dial";
        bench.app.on(user, "/" + user, "<Response><Dial action=\"/dialed\" timeout=\"10\"><Sip>sip:agent@127.0.0.1:"
                + AGENT + "</Sip></Dial><Say>never</Say></Response>");
        bench.app.on(user, "/dialed", "<Response><Play>/media/a440.wav</Play><Hangup/></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", Duration.ofMillis(300), 200, sink);
            CompletableFuture<SippResult> agent = Sipp.scenario("uas-answer.xml").arg("-p", Integer.toString(AGENT))
                    .key("ring_ms", "300").pause(Duration.ofSeconds(2)).finalCode(200)
                    .timeout(Duration.ofSeconds(40)).start();
            Sipp.awaitBound(AGENT, Duration.ofSeconds(10));
            Call call = create(user, "", null, 20);
            List<WebhookApp.Hit> hits = bench.app.awaitHits(user, 2, Duration.ofSeconds(30));
            WebhookApp.Hit action = hits.get(1);
            assertEquals("/dialed", action.path());
            assertEquals("completed", action.params().get("DialCallStatus"), action.params().toString());
            assertEquals("in-progress", action.params().get("CallStatus"));
            assertTrue(sink.awaitToneMillis(440, 1500, 0, Duration.ofSeconds(20)),
                    "the action's Play reaches the REST callee after the agent left");
            ok(agent);
            SippResult ce = ok(callee);
            assertEquals(1, ce.receivedRequests("BYE").size(), "the Hangup reached the callee");
            awaitStatus(call.getSid(), Call.Status.COMPLETED);
        }
    }

    @Test
    void statusCanceledWhileRingingSendsCancel() throws Exception {
        String user = "ob-cancel";
        CompletableFuture<SippResult> callee = callee("uas-noanswer.xml", Duration.ZERO, 200, null);
        Call call = create(user, "", new Twiml("<Response><Say>never</Say></Response>"), 30);
        callbacks(user, 2); // initiated, ringing: the callee's 180 arrived
        Call.updater(call.getSid()).setStatus(Call.UpdateStatus.CANCELED).update(client);
        SippResult ce = ok(callee);
        assertEquals(1, ce.receivedRequests("CANCEL").size(), "the callee got CANCEL");
        List<Map<String, String>> cb = callbacks(user, 3);
        assertEquals("canceled", cb.get(2).get("CallStatus"));
        awaitStatus(call.getSid(), Call.Status.CANCELED);
        ApiException over = assertThrows(ApiException.class, () -> Call.updater(call.getSid())
                .setStatus(Call.UpdateStatus.CANCELED).update(client));
        assertEquals(21220, over.getCode());
    }
}
