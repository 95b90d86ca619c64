package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code <Gather>} on a real Asterisk 22: DTMF as RFC 4733 (our RTP and sipp's pcaps) and as SIP INFO. */
class GatherIT {
    static Bench bench;
    static final String THANKS = "<Response><Say>Thank you.</Say><Hangup/></Response>";
    /** About 15 s of prompt: long enough that an early action request proves barge-in. */
    static final String LONG_PROMPT = "<Say loop=\"4\">Please enter your account number, followed by the pound key."
            + "</Say>";

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static CompletableFuture<SippResult> call(String user, RtpSink sink) {
        return Sipp.scenario("answer-wait-bye.xml").service(user).domain(Bench.DOMAIN).rtpPort(sink.port())
                .timeout(Duration.ofSeconds(60)).start();
    }

    static SippResult finished(CompletableFuture<SippResult> call) throws Exception {
        SippResult r = call.get(70, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        return r;
    }

    /** Waits until the prompt is heard, then presses the keys as RFC 4733 events from the caller's RTP port. */
    static void press(RtpSink sink, String keys) {
        assertTrue(sink.awaitSpeechMillis(300, Duration.ofSeconds(15)), "the prompt never started");
        for (char k : keys.toCharArray()) sink.sendDtmf(k, Duration.ofMillis(120));
    }

    @Test
    void finishOnKeyWithBargeIn() throws Exception {
        bench.app.on("g-finish", "/voice", "<Response><Gather action=\"/gathered\">" + LONG_PROMPT
                + "</Gather><Say>We did not get that.</Say></Response>");
        bench.app.on("g-finish", "/gathered", THANKS);
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = call("g-finish", sink);
            press(sink, "12#");
            long keysDone = System.currentTimeMillis();
            List<WebhookApp.Hit> hits = bench.app.awaitHits("g-finish", 2, Duration.ofSeconds(10));
            finished(call);
            WebhookApp.Hit action = hits.get(1);
            assertEquals("/gathered", action.path());
            assertEquals("12", action.params().get("Digits"));
            assertEquals("#", action.params().get("FinishedOnKey"));
            assertEquals("in-progress", action.params().get("CallStatus"));
            assertTrue(action.signatureValid());
            assertTrue(action.atMillis() - keysDone < 3000, "barge-in: the action must not wait for the prompt");
        }
    }

    @Test
    void numDigitsEndsTheGatherAndDefaultActionIsTheCurrentDocument() throws Exception {
        bench.app.on("g-num", "/voice", "<Response><Gather numDigits=\"2\" finishOnKey=\"\">" + LONG_PROMPT
                + "</Gather></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = call("g-num", sink);
            press(sink, "4");
            bench.app.on("g-num", "/voice", THANKS); // the re-requested document ends the call
            sink.sendDtmf('2', Duration.ofMillis(120));
            List<WebhookApp.Hit> hits = bench.app.awaitHits("g-num", 2, Duration.ofSeconds(10));
            finished(call);
            assertEquals("/voice", hits.get(1).path());
            assertEquals("42", hits.get(1).params().get("Digits"));
            assertEquals("", hits.get(1).params().get("FinishedOnKey"));
        }
    }

    @Test
    void timeoutBetweenDigitsSubmitsWhatWasEntered() throws Exception {
        bench.app.on("g-inter", "/voice", "<Response><Gather action=\"/gathered\" timeout=\"2\">" + LONG_PROMPT
                + "</Gather></Response>");
        bench.app.on("g-inter", "/gathered", THANKS);
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = call("g-inter", sink);
            press(sink, "7");
            long pressed = System.currentTimeMillis();
            WebhookApp.Hit action = bench.app.awaitHits("g-inter", 2, Duration.ofSeconds(10)).get(1);
            finished(call);
            assertEquals("7", action.params().get("Digits"));
            long waited = action.atMillis() - pressed;
            assertTrue(waited >= 1800 && waited < 4500, "timeout=2 between digits, waited " + waited + " ms");
        }
    }

    @Test
    void noInputFallsThroughToTheNextVerb() throws Exception {
        bench.app.on("g-empty", "/voice", "<Response><Gather action=\"/gathered\" timeout=\"1\">"
                + "<Say>Press a key.</Say></Gather><Say>We did not receive any input. Goodbye.</Say></Response>");
        try (RtpSink sink = new RtpSink()) {
            finished(call("g-empty", sink));
            assertEquals(1, bench.app.hits("g-empty").size(), "no action request without input");
            assertTrue(sink.speechMillis() > 2000, "prompt and the next Say heard: " + sink.speechMillis());
        }
    }

    @Test
    void noInputWithActionOnEmptyResultRequestsTheAction() throws Exception {
        bench.app.on("g-empty-action", "/voice", "<Response><Gather action=\"/gathered\" timeout=\"1\" "
                + "actionOnEmptyResult=\"true\"><Say>Press a key.</Say></Gather><Say>Never.</Say></Response>");
        bench.app.on("g-empty-action", "/gathered", THANKS);
        try (RtpSink sink = new RtpSink()) {
            finished(call("g-empty-action", sink));
            List<WebhookApp.Hit> hits = bench.app.hits("g-empty-action");
            assertEquals(2, hits.size());
            assertEquals("", hits.get(1).params().get("Digits"));
        }
    }

    @Test
    void finishKeyAloneIsNoInput() throws Exception {
        bench.app.on("g-only-finish", "/voice", "<Response><Gather action=\"/gathered\">" + LONG_PROMPT
                + "</Gather><Say>Nothing entered.</Say></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = call("g-only-finish", sink);
            press(sink, "#");
            finished(call);
            assertEquals(1, bench.app.hits("g-only-finish").size());
        }
    }

    @Test
    void sipInfoDtmf() throws Exception {
        bench.app.on("g-info", "/voice", "<Response><Gather action=\"/gathered\">" + LONG_PROMPT
                + "</Gather></Response>");
        bench.app.on("g-info", "/gathered", THANKS);
        try (RtpSink sink = new RtpSink()) {
            SippResult r = Sipp.scenario("answer-info-dtmf.xml").service("g-info").domain(Bench.DOMAIN)
                    .rtpPort(sink.port()).dtmf("35#").pause(Duration.ofMillis(1500))
                    .timeout(Duration.ofSeconds(60)).run();
            assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
            WebhookApp.Hit action = bench.app.awaitHits("g-info", 2, Duration.ofSeconds(5)).get(1);
            assertEquals("35", action.params().get("Digits"));
            assertEquals("#", action.params().get("FinishedOnKey"));
        }
    }

    @Test
    void rfc4733FromSippPcaps() throws Exception {
        bench.app.on("g-pcap", "/voice", "<Response><Gather action=\"/gathered\" numDigits=\"1\">" + LONG_PROMPT
                + "</Gather></Response>");
        bench.app.on("g-pcap", "/gathered", THANKS);
        SippResult r = Sipp.scenario("answer-pcap-dtmf.xml").service("g-pcap").domain(Bench.DOMAIN)
                .pause(Duration.ofMillis(1500))
                .key("pcap1", "/usr/share/sip-tester/dtmf_2833_8.pcap")
                // a second pcap right after is not reported by Asterisk (seen here: same RTP timestamps)
                .key("pcap2", "/usr/share/sip-tester/dtmf_2833_6.pcap")
                .timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        WebhookApp.Hit action = bench.app.awaitHits("g-pcap", 2, Duration.ofSeconds(5)).get(1);
        assertEquals("8", action.params().get("Digits"));
    }
}
