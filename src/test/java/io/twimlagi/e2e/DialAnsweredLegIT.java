package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.SipMessage;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.e2e.harness.TestTones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens on the leg that answers a {@code <Dial>} before it is bridged (dialplan twiml-dial-answered):
 * the noun's screening {@code url} with a Gather on the callee, a screening Hangup, the 200 OK's X- headers as
 * DialSipHeader_*; and what the caller hears and keeps: {@code record} (two channels) and {@code ringTone}.
 * Callee sipp (UAS) on port 5072 with its RTP in an {@link RtpSink}.
 */
class DialAnsweredLegIT {
    static Bench bench;
    static final int SIP_PORT = 5072;
    static final String BYE_TWIML = "<Response><Say>Back from the dial.</Say><Hangup/></Response>";

    @BeforeAll
    static void start() throws Exception {
        // the run-time endpoints of <Sip username password> get the sandbox trunk's media settings
        bench = new Bench("dial_sip_auth_options = transport=transport-udp disallow=all allow=ulaw,alaw "
                + "direct_media=no rtp_symmetric=no media_address=127.0.0.1 bind_rtp_to_media_address=yes\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static CompletableFuture<SippResult> callee(String scenario, RtpSink sink, Duration talk)
            throws InterruptedException {
        CompletableFuture<SippResult> f = Sipp.scenario(scenario).arg("-p", Integer.toString(SIP_PORT))
                .key("ring_ms", "300").pause(talk).rtpPort(sink.port()).timeout(Duration.ofSeconds(40)).start();
        Sipp.awaitBound(SIP_PORT, Duration.ofSeconds(10));
        return f;
    }

    static CompletableFuture<SippResult> caller(String user, RtpSink sink) {
        return Sipp.scenario("answer-wait-bye.xml").service(user).domain(Bench.DOMAIN).rtpPort(sink.port())
                .timeout(Duration.ofSeconds(40)).start();
    }

    static SippResult ok(CompletableFuture<SippResult> run, String who) throws Exception {
        SippResult r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> who + " sipp failed:\n" + r.ladder() + "\n" + r.output() + "\n"
                + r.errors());
        return r;
    }

    static List<WebhookApp.Hit> hits(String user, int n) throws InterruptedException {
        List<WebhookApp.Hit> hits = bench.app.awaitHits(user, n, Duration.ofSeconds(20));
        assertEquals(n, hits.size(), () -> user + ": " + hits);
        hits.forEach(h -> assertTrue(h.signatureValid(), h.path() + " signed"));
        return hits;
    }

    @Test
    void screeningGatherOnTheCalleeConnectsWhenItPressesOne() throws Exception {
        bench.app.on("scr-caller", "/voice", "<Response><Dial action=\"/dialed\"><Sip url=\"/screen\">sip:scr1@127.0.0.1:"
                + SIP_PORT + "</Sip></Dial><Say>never</Say></Response>");
        bench.app.on("scr-caller", "/dialed", BYE_TWIML);
        bench.app.on("scr1", "/screen", "<Response><Gather numDigits=\"1\" action=\"/screened\" timeout=\"8\">"
                + "<Say>You have a call. Press one to accept it.</Say></Gather><Hangup/></Response>");
        bench.app.on("scr1", "/screened", "<Response><Say>Connecting.</Say></Response>");
        try (RtpSink calleeAudio = new RtpSink(); RtpSink callerAudio = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-answer.xml", calleeAudio, Duration.ofSeconds(8));
            CompletableFuture<SippResult> caller = caller("scr-caller", callerAudio);
            assertTrue(calleeAudio.awaitSpeechMillis(600, Duration.ofSeconds(10)), "the callee hears the prompt");
            calleeAudio.sendDtmf('1', Duration.ofMillis(200));
            SippResult ce = ok(callee, "callee");
            ok(caller, "caller");
            SipMessage invite = ce.receivedRequests("INVITE").get(0);
            List<WebhookApp.Hit> screen = hits("scr1", 2);
            List<WebhookApp.Hit> parent = hits("scr-caller", 2);
            Map<String, String> s = screen.get(0).params();
            assertEquals("/screen", screen.get(0).path());
            assertEquals("outbound-dial", s.get("Direction"));
            assertEquals(parent.get(0).params().get("CallSid"), s.get("ParentCallSid"));
            assertNotEquals(s.get("ParentCallSid"), s.get("CallSid"));
            assertEquals("answered", s.get("SipHeader_X-Callee-Result"), "the 200 OK's X- headers: " + s);
            assertEquals(invite.header("Call-ID"), s.get("SipCallId"));
            assertEquals("in-progress", s.get("CallStatus"));
            assertEquals("/screened", screen.get(1).path());
            assertEquals("1", screen.get(1).params().get("Digits"));
            Map<String, String> d = parent.get(1).params();
            assertEquals("/dialed", parent.get(1).path());
            assertEquals("completed", d.get("DialCallStatus"));
            assertEquals("true", d.get("DialBridged"));
            assertEquals(s.get("CallSid"), d.get("DialCallSid"), "the child leg's CallSid");
            assertEquals("answered", d.get("DialSipHeader_X-Callee-Result"));
            assertEquals("200", d.get("DialSipResponseCode"));
        }
    }

    @Test
    void aScreeningHangupLeavesTheCallerUnconnected() throws Exception {
        bench.app.on("scr-refused", "/voice", "<Response><Dial action=\"/dialed\"><Sip url=\"/screen\">"
                + "sip:scr2@127.0.0.1:" + SIP_PORT + "</Sip></Dial></Response>");
        bench.app.on("scr-refused", "/dialed", BYE_TWIML);
        bench.app.on("scr2", "/screen", "<Response><Say>Not now.</Say><Hangup/></Response>");
        try (RtpSink calleeAudio = new RtpSink(); RtpSink callerAudio = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-answer-wait-bye.xml", calleeAudio, Duration.ZERO);
            CompletableFuture<SippResult> caller = caller("scr-refused", callerAudio);
            ok(callee, "callee (gets Asterisk's BYE)");
            ok(caller, "caller");
            assertTrue(calleeAudio.speechMillis() >= 300, "the callee heard the screening Say");
        }
        Map<String, String> d = hits("scr-refused", 2).get(1).params();
        assertEquals("completed", d.get("DialCallStatus"), "the callee answered");
        assertEquals("false", d.get("DialBridged"), "but the screening did not connect it");
    }

    @Test
    void recordFromAnswerDualKeepsCallerAndCalleeOnTheirOwnChannels() throws Exception {
        // the Say teaches the caller's RtpSink Asterisk's address; a bridge only relays, so the caller talks first
        bench.app.on("rec-dual", "/voice", "<Response><Say>Dialing.</Say><Dial action=\"/dialed\" "
                + "record=\"record-from-answer-dual\" recordingStatusCallback=\"/rec\"><Sip>sip:rec@127.0.0.1:"
                + SIP_PORT + "</Sip></Dial></Response>");
        bench.app.on("rec-dual", "/dialed", BYE_TWIML);
        bench.app.always("/rec", new okhttp3.mockwebserver.MockResponse().setResponseCode(204)); // no To param
        try (RtpSink calleeAudio = new RtpSink(); RtpSink callerAudio = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-answer.xml", calleeAudio, Duration.ofSeconds(7));
            CompletableFuture<SippResult> caller = caller("rec-dual", callerAudio);
            assertTrue(callerAudio.awaitSpeechMillis(300, Duration.ofSeconds(10)), "the caller hears the Say");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (calleeAudio.packetCount() < 5 && System.nanoTime() < deadline) { // until the bridge is up
                callerAudio.sendPcmu(TestTones.silence(100));
            }
            assertTrue(calleeAudio.packetCount() >= 5, "bridged: the callee gets the caller's RTP");
            callerAudio.sendPcmu(TestTones.sine(1400, 1500, 0.3));
            calleeAudio.sendPcmu(TestTones.sine(1000, 1500, 0.3));
            ok(callee, "callee");
            ok(caller, "caller");
        }
        Map<String, String> d = hits("rec-dual", 2).get(1).params();
        String url = d.get("RecordingUrl");
        assertTrue(url != null && url.endsWith("/Recordings/" + d.get("RecordingSid")), d.toString());
        Map<String, String> cb = bench.app.awaitPathHits("/rec", 1, Duration.ofSeconds(10)).stream()
                .filter(h -> d.get("RecordingSid").equals(h.params().get("RecordingSid"))).findFirst().orElseThrow()
                .params();
        assertEquals("completed", cb.get("RecordingStatus"));
        assertEquals("2", cb.get("RecordingChannels"));
        assertEquals("DialVerb", cb.get("RecordingSource"));
        Path wav = bench.asterisk.mediaDirOnHost().resolve("recordings").resolve(d.get("RecordingSid") + ".wav");
        short[][] channels = TestTones.readStereoWav(wav);
        assertTrue(TestTones.toneMillis(channels[0], 1400) >= 800, "channel 1 is the caller");
        assertTrue(TestTones.toneMillis(channels[1], 1000) >= 800, "channel 2 is the callee");
        assertTrue(TestTones.toneMillis(channels[0], 1000) < 200, "the callee is not on channel 1");
        assertTrue(TestTones.toneMillis(channels[1], 1400) < 200, "the caller is not on channel 2");
    }

    @Test
    void ringToneUkIsTheRingbackTheCallerHears() throws Exception {
        bench.app.on("ring-uk", "/voice", "<Response><Dial action=\"/dialed\" ringTone=\"uk\" timeout=\"4\">"
                + "<Sip>sip:ring@127.0.0.1:" + SIP_PORT + "</Sip></Dial></Response>");
        bench.app.on("ring-uk", "/dialed", "<Response><Hangup/></Response>"); // no speech after the ringback
        try (RtpSink calleeAudio = new RtpSink(); RtpSink callerAudio = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-noanswer.xml", calleeAudio, Duration.ZERO);
            CompletableFuture<SippResult> caller = caller("ring-uk", callerAudio);
            ok(callee, "callee");
            ok(caller, "caller");
            // UK ringback is 400+450 Hz; the US one (the sandbox's default zone) 440+480 Hz
            assertTrue(callerAudio.toneMillisFine(400, 0) >= 800, "UK ringback: " + callerAudio.toneMillisFine(400, 0));
            assertEquals(0, callerAudio.toneMillisFine(480, 0), "no US ringback");
        }
        assertEquals("no-answer", hits("ring-uk", 2).get(1).params().get("DialCallStatus"));
    }

    @Test
    void sequentialRingsTheNextNounAfterABusyOneAndSendDigitsReachesTheCallee() throws Exception {
        bench.app.on("seq", "/voice", "<Response><Dial action=\"/dialed\" sequential=\"true\">"
                + "<Sip>sip:seq1@127.0.0.1:" + SIP_PORT + "</Sip><Number sendDigits=\"1w2\">+15550001234</Number>"
                + "</Dial></Response>");
        bench.app.on("seq", "/dialed", BYE_TWIML);
        try (RtpSink busyAudio = new RtpSink(); RtpSink trunkAudio = new RtpSink()) {
            CompletableFuture<SippResult> busy = Sipp.scenario("uas-reject.xml").arg("-p", Integer.toString(SIP_PORT))
                    .key("ring_ms", "300").finalCode(486).rtpPort(busyAudio.port())
                    .timeout(Duration.ofSeconds(40)).start();
            CompletableFuture<SippResult> trunk = Sipp.scenario("uas-answer.xml").arg("-p", "5070")
                    .key("ring_ms", "300").pause(Duration.ofSeconds(4)).rtpPort(trunkAudio.port())
                    .timeout(Duration.ofSeconds(40)).start();
            Sipp.awaitBound(SIP_PORT, Duration.ofSeconds(10));
            Sipp.awaitBound(5070, Duration.ofSeconds(10));
            CompletableFuture<SippResult> caller = caller("seq", new RtpSink());
            SippResult b = ok(busy, "busy callee");
            SippResult t = ok(trunk, "trunk callee");
            ok(caller, "caller");
            assertTrue(trunkAudio.awaitDtmf("12", Duration.ofSeconds(5)), "sendDigits: " + trunkAudio.receivedDtmf());
            java.time.LocalDateTime busyFinal = b.sent().stream().filter(m -> m.firstLine().startsWith("SIP/2.0 486"))
                    .findFirst().orElseThrow().time();
            java.time.LocalDateTime trunkInvite = t.receivedRequests("INVITE").get(0).time();
            assertTrue(!trunkInvite.isBefore(busyFinal), "the second noun rings only after the first said busy: "
                    + busyFinal + " / " + trunkInvite);
        }
        Map<String, String> d = hits("seq", 2).get(1).params();
        assertEquals("completed", d.get("DialCallStatus"));
        assertEquals("true", d.get("DialBridged"));
    }

    @Test
    void eachNounsStatusCallbackFollowsItsOwnLeg() throws Exception {
        bench.app.on("legs", "/voice", "<Response><Dial action=\"/dialed\"><Sip statusCallback=\"/leg\" "
                + "statusCallbackEvent=\"initiated ringing answered completed\">sip:st1@127.0.0.1:" + SIP_PORT
                + "</Sip></Dial></Response>");
        bench.app.on("legs", "/dialed", BYE_TWIML);
        bench.app.always("/leg", new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
        try (RtpSink calleeAudio = new RtpSink(); RtpSink callerAudio = new RtpSink()) {
            CompletableFuture<SippResult> callee = callee("uas-answer.xml", calleeAudio, Duration.ofSeconds(2));
            CompletableFuture<SippResult> caller = caller("legs", callerAudio);
            ok(callee, "callee");
            ok(caller, "caller");
        }
        Map<String, String> d = hits("legs", 2).get(1).params();
        List<WebhookApp.Hit> leg = bench.app.awaitPathHits("/leg", 4, Duration.ofSeconds(10)).stream()
                .filter(h -> d.get("DialCallSid").equals(h.params().get("CallSid")))
                // sent asynchronously, so they may arrive out of order: SequenceNumber orders them (as on Twilio)
                .sorted(java.util.Comparator.comparingInt(h -> Integer.parseInt(h.params().get("SequenceNumber"))))
                .toList();
        assertEquals(List.of("initiated", "ringing", "in-progress", "completed"),
                leg.stream().map(h -> h.params().get("CallStatus")).toList());
        for (int i = 0; i < leg.size(); i++) {
            Map<String, String> p = leg.get(i).params();
            assertTrue(leg.get(i).signatureValid());
            assertEquals(Integer.toString(i), p.get("SequenceNumber"));
            assertEquals("outbound-dial", p.get("Direction"));
            assertEquals(hits("legs", 2).get(0).params().get("CallSid"), p.get("ParentCallSid"));
            assertEquals("call-progress-events", p.get("CallbackSource"));
        }
        Map<String, String> done = leg.get(3).params();
        assertTrue(Integer.parseInt(done.get("CallDuration")) >= 1, done.toString());
        assertEquals("200", done.get("SipResponseCode"));
    }

    @Test
    void aBusyLegReportsBusyWithItsSipCode() throws Exception {
        bench.app.on("legs-busy", "/voice", "<Response><Dial action=\"/dialed\"><Sip statusCallback=\"/leg-busy\">"
                + "sip:st2@127.0.0.1:" + SIP_PORT + "</Sip></Dial></Response>");
        bench.app.on("legs-busy", "/dialed", BYE_TWIML);
        bench.app.always("/leg-busy", new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
        try (RtpSink calleeAudio = new RtpSink(); RtpSink callerAudio = new RtpSink()) {
            CompletableFuture<SippResult> callee = Sipp.scenario("uas-reject.xml").arg("-p", Integer.toString(SIP_PORT))
                    .key("ring_ms", "300").finalCode(486).rtpPort(calleeAudio.port())
                    .timeout(Duration.ofSeconds(40)).start();
            Sipp.awaitBound(SIP_PORT, Duration.ofSeconds(10));
            CompletableFuture<SippResult> caller = caller("legs-busy", callerAudio);
            ok(callee, "callee");
            ok(caller, "caller");
        }
        List<WebhookApp.Hit> leg = bench.app.awaitPathHits("/leg-busy", 1, Duration.ofSeconds(10));
        assertEquals(1, leg.size(), "only completed by default: " + leg);
        assertEquals("busy", leg.get(0).params().get("CallStatus"));
        assertEquals("486", leg.get(0).params().get("SipResponseCode"));
        assertEquals("0", leg.get(0).params().get("CallDuration"));
    }

    @Test
    void aLegsRingingCallbackGoesWhileItRings() throws Exception {
        // Asterisk tells AGI nothing while a leg rings: the 180 is read from its HEP copy (hep.conf), matched to
        // the leg by the Call-ID its pre-dial handler reported (twiml-dial-leg,watch)
        bench.app.on("legs-ring", "/voice", "<Response><Dial action=\"/dialed\" timeout=\"6\"><Sip "
                + "statusCallback=\"/leg-ring\" statusCallbackEvent=\"ringing\">sip:st3@127.0.0.1:" + SIP_PORT
                + "</Sip></Dial></Response>");
        bench.app.on("legs-ring", "/dialed", BYE_TWIML);
        bench.app.always("/leg-ring", new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
        List<WebhookApp.Hit> ring;
        try (RtpSink calleeAudio = new RtpSink(); RtpSink callerAudio = new RtpSink()) {
            CompletableFuture<SippResult> callee = Sipp.scenario("uas-noanswer.xml")
                    .arg("-p", Integer.toString(SIP_PORT)).rtpPort(calleeAudio.port())
                    .timeout(Duration.ofSeconds(40)).start();
            Sipp.awaitBound(SIP_PORT, Duration.ofSeconds(10));
            CompletableFuture<SippResult> caller = caller("legs-ring", callerAudio);
            ring = bench.app.awaitPathHits("/leg-ring", 1, Duration.ofSeconds(5));
            assertEquals(1, ring.size(), "a ringing callback while the callee rings");
            // the Dial (timeout 6 s) has not returned yet: no action request so far
            assertEquals(1, bench.app.hits("legs-ring").size(), "the callee is still ringing");
            ok(callee, "callee");
            ok(caller, "caller");
        }
        List<WebhookApp.Hit> h = hits("legs-ring", 2);
        Map<String, String> d = h.get(1).params();
        assertEquals("no-answer", d.get("DialCallStatus"));
        Map<String, String> r = ring.get(0).params();
        assertEquals("ringing", r.get("CallStatus"));
        assertEquals(d.get("DialCallSid"), r.get("CallSid"));
        assertEquals(h.get(0).params().get("CallSid"), r.get("ParentCallSid"));
        assertTrue(ring.get(0).signatureValid());
        assertTrue(h.get(1).atMillis() - ring.get(0).atMillis() > 4000,
                "ringing came as the leg rang, not after the Dial");
        assertEquals(1, bench.app.pathHits("/leg-ring").size(), "ringing is sent once");
    }

    static CompletableFuture<SippResult> challengingCallee(String user, String password) throws InterruptedException {
        CompletableFuture<SippResult> f = Sipp.scenario("uas-auth.xml").arg("-p", Integer.toString(SIP_PORT))
                .key("ring_ms", "200").key("auth_user", user).key("auth_pass", password).pause(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(40)).start();
        Sipp.awaitBound(SIP_PORT, Duration.ofSeconds(10));
        return f;
    }

    @Test
    void sipUsernameAndPasswordAnswerTheCalleesDigestChallenge() throws Exception {
        bench.app.on("auth-ok", "/voice", "<Response><Dial action=\"/dialed\"><Sip username=\"bob\" "
                + "password=\"s3cr.t!\">sip:auth@127.0.0.1:" + SIP_PORT + "?X-Ticket=77</Sip></Dial></Response>");
        bench.app.on("auth-ok", "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> callee = challengingCallee("bob", "s3cr.t!");
        CompletableFuture<SippResult> caller = caller("auth-ok", new RtpSink());
        SippResult ce = ok(callee, "callee");
        ok(caller, "caller");
        List<SipMessage> invites = ce.receivedRequests("INVITE");
        assertEquals(2, invites.size(), "challenged, then again with credentials");
        String authorization = invites.get(1).header("Authorization");
        assertTrue(authorization != null && authorization.contains("username=\"bob\"")
                && authorization.contains("realm=\"sipp.example.com\""), "Authorization: " + authorization);
        assertTrue(!authorization.contains("s3cr.t!"), "the password never travels");
        assertEquals("77", invites.get(0).header("X-Ticket"));
        assertEquals("77", invites.get(1).header("X-Ticket"), "the URI headers are on the authenticated INVITE too");
        Map<String, String> d = hits("auth-ok", 2).get(1).params();
        assertEquals("completed", d.get("DialCallStatus"), "the callee checked the digest and answered: " + d);
        assertEquals("200", d.get("DialSipResponseCode"));
        assertEquals("answered", d.get("DialSipHeader_X-Callee-Result"));
    }

    @Test
    void aWrongPasswordIsRefusedByTheCallee() throws Exception {
        bench.app.on("auth-bad", "/voice", "<Response><Dial action=\"/dialed\"><Sip username=\"bob\" "
                + "password=\"wrong\">sip:auth@127.0.0.1:" + SIP_PORT + "</Sip></Dial></Response>");
        bench.app.on("auth-bad", "/dialed", BYE_TWIML);
        CompletableFuture<SippResult> callee = challengingCallee("bob", "s3cr.t!");
        CompletableFuture<SippResult> caller = caller("auth-bad", new RtpSink());
        ok(callee, "callee");
        ok(caller, "caller");
        Map<String, String> d = hits("auth-bad", 2).get(1).params();
        assertEquals("failed", d.get("DialCallStatus"));
        assertEquals("403", d.get("DialSipResponseCode"));
        // the 403's own header, not the 401's (same Call-ID): the final response the code names
        assertEquals("forbidden", d.get("DialSipHeader_X-Callee-Result"));
    }
}
