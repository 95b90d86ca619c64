package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.SipMessage;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIP call control on a real Asterisk 22 with sipp: response codes, ringing, params, signatures, fallback. */
class SipCoreIT {
    static Bench bench;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static SippResult reject(String user, int expected, String domain) {
        SippResult r = Sipp.scenario("reject.xml").service(user).domain(domain)
                .key("x_customer_id", "42").key("x_campaign", "spring-sale")
                .finalCode(expected).timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        assertTrue(r.sawBefore(180, expected), () -> "expected 180 then " + expected + ":\n" + r);
        assertFalse(r.statusCodes().contains(200), () -> "the call must never be answered:\n" + r);
        return r;
    }

    @Test
    void rejectBusyIs486WithExactSignedParams() throws Exception {
        bench.app.on("reject-busy", "/voice", "<Response><Reject reason=\"busy\"/></Response>");
        SippResult r = reject("reject-busy", 486, Bench.DOMAIN);
        List<WebhookApp.Hit> hits = bench.app.awaitHits("reject-busy", 1, Duration.ofSeconds(5));
        assertEquals(1, hits.size());
        WebhookApp.Hit hit = hits.get(0);
        assertTrue(hit.signatureValid(), "X-Twilio-Signature must validate with Twilio's RequestValidator");
        assertEquals("POST", hit.method());
        Map<String, String> p = hit.params();
        SipMessage invite = r.invite().orElseThrow();
        assertEquals("sip:reject-busy@pbx.example.com", p.get("To"));
        assertEquals(p.get("To"), p.get("Called"));
        assertEquals(invite.header("From").replaceAll(".*<(sip:[^@>]+@[^:;>]+).*", "$1"), p.get("From"));
        assertEquals(p.get("From"), p.get("Caller"));
        assertEquals("pbx.example.com", p.get("SipDomain"));
        assertEquals(Bench.DOMAIN_SID, p.get("SipDomainSid"));
        assertEquals(invite.header("Call-ID"), p.get("SipCallId"));
        assertEquals("127.0.0.1", p.get("SipSourceIp"));
        assertEquals("42", p.get("SipHeader_X-Customer-Id"));
        assertEquals("spring-sale", p.get("SipHeader_X-Campaign"));
        assertEquals("ringing", p.get("CallStatus"));
        assertEquals("inbound", p.get("Direction"));
        assertEquals("2010-04-01", p.get("ApiVersion"));
        assertEquals(Bench.ACCOUNT, p.get("AccountSid"));
        assertTrue(p.get("CallSid").matches("CA[0-9a-f]{32}"), p.get("CallSid"));
    }

    @Test
    void rejectWithoutReasonOrRejectedIs404() throws Exception {
        bench.app.on("reject-plain", "/voice", "<Response><Reject/><Say>never spoken</Say></Response>");
        reject("reject-plain", 404, Bench.DOMAIN);
        bench.app.on("reject-rejected", "/voice", "<Response><Reject reason=\"rejected\"/></Response>");
        reject("reject-rejected", 404, Bench.DOMAIN);
    }

    @Test
    void redirectKeepsRingingThenRejects() throws Exception {
        bench.app.on("redirect", "/voice", "<Response><Redirect method=\"GET\">next?step=2</Redirect></Response>");
        bench.app.on("redirect", "/next", "<Response><Pause length=\"1\"/><Reject reason=\"busy\"/></Response>");
        reject("redirect", 486, Bench.DOMAIN);
        List<WebhookApp.Hit> hits = bench.app.awaitHits("redirect", 2, Duration.ofSeconds(5));
        WebhookApp.Hit second = hits.get(1);
        assertEquals("GET", second.method());
        assertEquals("/next", second.path());
        assertEquals("2", second.params().get("step"));
        assertEquals("ringing", second.params().get("CallStatus"));
        assertEquals(hits.get(0).params().get("CallSid"), second.params().get("CallSid"));
        assertTrue(second.signatureValid());
    }

    @Test
    void fallbackOnHttp500() throws Exception {
        bench.app.on("fallback-500", "/voice", new MockResponse().setResponseCode(500));
        bench.app.on("fallback-500", "/fallback", "<Response><Reject reason=\"busy\"/></Response>");
        reject("fallback-500", 486, Bench.DOMAIN);
        WebhookApp.Hit fallback = bench.app.awaitHits("fallback-500", 2, Duration.ofSeconds(5)).get(1);
        assertEquals("/fallback", fallback.path());
        assertEquals("11200", fallback.params().get("ErrorCode"));
        assertEquals(bench.app.url("/voice"), fallback.params().get("ErrorUrl"));
        assertTrue(fallback.signatureValid());
    }

    @Test
    void fallbackOnTimeout() throws Exception {
        bench.app.on("fallback-slow", "/voice", WebhookApp.twiml("<Response><Say>too late</Say></Response>")
                .setHeadersDelay(6, TimeUnit.SECONDS));
        bench.app.on("fallback-slow", "/fallback", "<Response><Reject reason=\"busy\"/></Response>");
        reject("fallback-slow", 486, Bench.DOMAIN);
        WebhookApp.Hit fallback = bench.app.awaitHits("fallback-slow", 2, Duration.ofSeconds(5)).get(1);
        assertEquals("11205", fallback.params().get("ErrorCode"));
    }

    @Test
    void fallbackOnXxeWhichIsNeverResolved() throws Exception {
        bench.app.on("fallback-xxe", "/voice", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                + "\"file:///etc/hostname\">]><Response><Say>&x;</Say></Response>");
        bench.app.on("fallback-xxe", "/fallback", "<Response><Reject/></Response>");
        reject("fallback-xxe", 404, Bench.DOMAIN);
        WebhookApp.Hit fallback = bench.app.awaitHits("fallback-xxe", 2, Duration.ofSeconds(5)).get(1);
        assertEquals("12100", fallback.params().get("ErrorCode"));
    }

    @Test
    void failingAppWithoutFallbackIs500() throws Exception {
        bench.app.on("no-fallback", "/voice", new MockResponse().setResponseCode(503));
        reject("no-fallback", 500, Bench.BARE_DOMAIN);
    }

    @Test
    void fallbackThatAlsoFailsIs500() throws Exception {
        bench.app.on("both-fail", "/voice", "<Response><Say>unclosed</Response>");
        bench.app.on("both-fail", "/fallback", new MockResponse().setResponseCode(500));
        reject("both-fail", 500, Bench.DOMAIN);
        assertEquals("12100", bench.app.awaitHits("both-fail", 2, Duration.ofSeconds(5)).get(1).params()
                .get("ErrorCode"));
    }

    @Test
    void callerCancelsWhileTheAppIsSlow() throws Exception {
        bench.app.on("cancel", "/voice", WebhookApp.twiml("<Response><Say>late</Say></Response>")
                .setHeadersDelay(2, TimeUnit.SECONDS));
        SippResult r = Sipp.scenario("ring-cancel.xml").service("cancel").domain(Bench.DOMAIN)
                .pause(Duration.ofMillis(500)).timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        assertTrue(r.inviteStatusCodes().contains(487), r::toString);
        assertFalse(r.inviteStatusCodes().contains(200), r::toString);
        // the server notices when the app's answer arrives and ends the call's work without answering it
        long deadline = System.currentTimeMillis() + 10_000;
        while (bench.server.activeCalls() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertEquals(0, bench.server.activeCalls(), "the call's thread must end");
        assertEquals(1, bench.app.hits("cancel").size());
    }
}
