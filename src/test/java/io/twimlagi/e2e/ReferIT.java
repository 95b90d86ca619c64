package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.SipMessage;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code <Refer>} on a real Asterisk 22: the caller's sipp receives Asterisk's REFER (Transfer()), answers it and
 * NOTIFYs like a PBX would; the action request carries what Asterisk reported.
 */
class ReferIT {
    static Bench bench;
    static final String TARGET = "sip:agent-7@pbx.example.com?X-AcctNumber=123456&X-Reason=billing%20question";
    static final String HANGUP = "<Response><Hangup/></Response>";

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench("refer_timeout = 5\n"); // the bound on a REFER that is never NOTIFYed
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static String refer(String target) {
        return "<Response><Refer action=\"/referred\"><Sip>" + target.replace("&", "&amp;")
                + "</Sip></Refer><Say>Never reached.</Say></Response>";
    }

    static SippResult ok(SippResult r) {
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        return r;
    }

    /** The one REFER the caller received; its Refer-To is the TwiML URI, in angle brackets, headers verbatim. */
    static SipMessage referReceived(SippResult r, String target) {
        List<SipMessage> refers = r.receivedRequests("REFER");
        assertEquals(1, refers.size(), r::toString);
        assertEquals("<" + target + ">", refers.get(0).header("Refer-To"), r::toString);
        assertTrue(r.sawBefore(180, 200), r::toString); // answered before the REFER (not a 302)
        return refers.get(0);
    }

    static WebhookApp.Hit action(String user) throws InterruptedException {
        List<WebhookApp.Hit> hits = bench.app.awaitHits(user, 2, Duration.ofSeconds(5));
        assertEquals(2, hits.size(), hits::toString);
        WebhookApp.Hit h = hits.get(1);
        assertEquals("/referred", h.path());
        assertTrue(h.signatureValid(), "signature of " + h);
        return h;
    }

    static Map<String, String> referParams(WebhookApp.Hit h) {
        Map<String, String> p = new java.util.TreeMap<>();
        h.params().forEach((k, v) -> {
            if (k.startsWith("Refer") || k.startsWith("Notify")) p.put(k, v);
        });
        return p;
    }

    @Test
    void acceptedAndNotified200IsInProgress() throws Exception {
        bench.app.on("r-ok", "/voice", refer(TARGET));
        bench.app.on("r-ok", "/referred", HANGUP);
        SippResult r = ok(Sipp.scenario("refer-notify.xml").service("r-ok").domain(Bench.DOMAIN)
                .key("x_sipfrag", "200 OK").timeout(Duration.ofSeconds(30)).run());
        referReceived(r, TARGET);
        WebhookApp.Hit h = action("r-ok");
        assertEquals(Map.of("ReferCallStatus", "in-progress", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "200"), referParams(h));
        assertEquals("in-progress", h.params().get("CallStatus"));
        assertEquals(1, r.receivedRequests("BYE").size(), "the action's Hangup ends the call:\n" + r);
    }

    @Test
    void pbxDroppingOurLegAfterTheTransferStillReportsSuccess() throws Exception {
        bench.app.on("r-done", "/voice", refer(TARGET));
        bench.app.on("r-done", "/referred", "<Response><Pause length=\"10\"/></Response>");
        SippResult r = ok(Sipp.scenario("refer-transferred.xml").service("r-done").domain(Bench.DOMAIN)
                .pause(Duration.ofMillis(200)).timeout(Duration.ofSeconds(30)).run());
        referReceived(r, TARGET);
        assertEquals(Map.of("ReferCallStatus", "in-progress", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "200"), referParams(action("r-done")));
        assertTrue(r.receivedRequests("BYE").isEmpty(), "the caller hung up, not us:\n" + r);
    }

    @Test
    void notifiedBusyIsBusy() throws Exception {
        bench.app.on("r-busy", "/voice", refer(TARGET));
        bench.app.on("r-busy", "/referred", HANGUP);
        SippResult r = ok(Sipp.scenario("refer-notify.xml").service("r-busy").domain(Bench.DOMAIN)
                .key("x_sipfrag", "486 Busy Here").timeout(Duration.ofSeconds(30)).run());
        referReceived(r, TARGET);
        assertEquals(Map.of("ReferCallStatus", "busy", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "486"), referParams(action("r-busy")));
    }

    @Test
    void aTargets403InTheNotifyIsNotTakenForTheRefersResponse() throws Exception {
        // Asterisk's Transfer() reports "FAILURE 403" either way; the capture tells the NOTIFY's from the REFER's
        bench.app.on("r-403", "/voice", refer(TARGET));
        bench.app.on("r-403", "/referred", HANGUP);
        SippResult r = ok(Sipp.scenario("refer-notify.xml").service("r-403").domain(Bench.DOMAIN)
                .key("x_sipfrag", "403 Forbidden").timeout(Duration.ofSeconds(30)).run());
        referReceived(r, TARGET);
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "403"), referParams(action("r-403")));
    }

    @Test
    void aRefer503IsTheRefersOwnResponse() throws Exception {
        bench.app.on("r-503", "/voice", refer(TARGET));
        bench.app.on("r-503", "/referred", HANGUP);
        SippResult r = ok(Sipp.scenario("refer-refuse.xml").service("r-503").domain(Bench.DOMAIN)
                .key("x_refer_reply", "503 Service Unavailable").timeout(Duration.ofSeconds(30)).run());
        referReceived(r, TARGET);
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "503"),
                referParams(action("r-503")));
    }

    @Test
    void referRefused405IsFailed() throws Exception {
        bench.app.on("r-405", "/voice", refer("sip:queue@pbx.example.com"));
        bench.app.on("r-405", "/referred", HANGUP);
        SippResult r = ok(Sipp.scenario("refer-refuse.xml").service("r-405").domain(Bench.DOMAIN)
                .key("x_refer_reply", "405 Method Not Allowed").timeout(Duration.ofSeconds(30)).run());
        referReceived(r, "sip:queue@pbx.example.com");
        assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "405"),
                referParams(action("r-405")));
    }

    @Test
    void withoutActionTheNextVerbRuns() throws Exception {
        bench.app.on("r-next", "/voice", "<Response><Refer><Sip>sip:queue@pbx.example.com</Sip></Refer>"
                + "<Redirect>/after</Redirect></Response>");
        bench.app.on("r-next", "/after", HANGUP);
        SippResult r = ok(Sipp.scenario("refer-refuse.xml").service("r-next").domain(Bench.DOMAIN)
                .key("x_refer_reply", "403 Forbidden").timeout(Duration.ofSeconds(30)).run());
        referReceived(r, "sip:queue@pbx.example.com");
        List<WebhookApp.Hit> hits = bench.app.awaitHits("r-next", 2, Duration.ofSeconds(5));
        assertEquals("/after", hits.get(1).path());
        assertNull(hits.get(1).params().get("ReferCallStatus"));
    }

    @Test
    void badHeaderIsNotSentAndTheVerbIsSkipped() throws Exception {
        bench.app.on("r-bad", "/voice", "<Response><Refer action=\"/referred\"><Sip>"
                + "sip:a@pbx.example.com?Route=%3Csip:evil%3E</Sip></Refer><Hangup/></Response>");
        SippResult r = ok(Sipp.scenario("answer-wait-bye.xml").service("r-bad").domain(Bench.DOMAIN)
                .timeout(Duration.ofSeconds(30)).run());
        assertTrue(r.receivedRequests("REFER").isEmpty(), r::toString);
        assertEquals(1, bench.app.hits("r-bad").size(), "no action request for a skipped Refer");
    }

    @Test
    void callerHangingUpDuringTheTransferIsCanceled() throws Exception {
        bench.app.on("r-gone", "/voice", refer(TARGET));
        bench.app.on("r-gone", "/referred", "<Response><Say>Never played.</Say></Response>");
        SippResult r = ok(Sipp.scenario("refer-hangup.xml").service("r-gone").domain(Bench.DOMAIN)
                .pause(Duration.ofMillis(500)).timeout(Duration.ofSeconds(30)).run());
        referReceived(r, TARGET);
        WebhookApp.Hit h = action("r-gone");
        // as Twilio documents it: canceled / 202 / 180 (the REFER's 202 and the NOTIFY's 180 read from Asterisk's HEP
        // capture: Transfer() itself reports nothing but the hangup)
        assertEquals(Map.of("ReferCallStatus", "canceled", "ReferSipResponseCode", "202",
                "NotifySipResponseCode", "180"), referParams(h));
        assertEquals("completed", h.params().get("CallStatus"));
    }

    @Test
    void acceptedButNeverNotifiedIsBounded() throws Exception {
        bench.app.on("r-silent", "/voice", refer(TARGET));
        bench.app.on("r-silent", "/referred", "<Response><Say>Never played.</Say></Response>");
        {
            SippResult r = ok(Sipp.scenario("refer-silent.xml").service("r-silent").domain(Bench.DOMAIN)
                    .timeout(Duration.ofSeconds(30)).run());
            SipMessage refer = referReceived(r, TARGET);
            SipMessage bye = r.receivedRequests("BYE").get(0);
            long waited = Duration.between(refer.time(), bye.time()).toMillis();
            assertTrue(waited >= 4500 && waited < 7000, "bound of 5 s, BYE after " + waited + " ms");
            WebhookApp.Hit h = action("r-silent");
            assertEquals(Map.of("ReferCallStatus", "failed", "ReferSipResponseCode", "202"), referParams(h));
            assertFalse(h.params().containsKey("NotifySipResponseCode"));
            assertEquals("completed", h.params().get("CallStatus"));
        }
    }
}
