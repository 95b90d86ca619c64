package io.twimlagi.bench;

import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import io.twimlagi.webhook.RequestSigner;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Plain-Java harness for the in-process steps on a call's critical path (run by scripts/bench, not a test):
 * parse a typical 1 kB TwiML document, build the parameter set, sign a webhook request. Prints operations/s.
 * Warm-up first, then several timed rounds; the median round is reported.
 */
public final class HotPaths {
    static final byte[] DOC = ("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <Say voice="Polly.Joanna" language="en-US">Thank you for calling Example Corporation. Your call may
                be recorded for quality and training purposes.</Say>
              <Gather action="/ivr/menu" method="POST" numDigits="1" timeout="7" finishOnKey="#">
                <Say voice="woman">For sales, press 1. For support, press 2. For billing, press 3.
                  To hear these options again, press 9.</Say>
                <Pause length="1"/>
                <Play loop="1">https://media.example.com/prompts/menu-music.wav</Play>
              </Gather>
              <Say>We did not receive any input.</Say>
              <Record action="/ivr/voicemail" maxLength="120" timeout="5" playBeep="true" finishOnKey="#"
                      recordingStatusCallback="/ivr/recording-status"/>
              <Dial action="/ivr/after-dial" timeout="20" callerId="+15550001111">
                <Sip>sip:agent@pbx.example.com?X-Campaign=spring&amp;X-Customer-Id=42</Sip>
              </Dial>
              <Redirect method="POST">/ivr/welcome?attempt=2</Redirect>
            </Response>
            """).getBytes(StandardCharsets.UTF_8);

    private HotPaths() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("document: %d bytes%n", DOC.length);
        FakeCall call = new FakeCall();
        Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), "https://app.example.com/voice",
                HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Customer-Id", "42");
        headers.put("X-Campaign", "spring-sale");
        SipInvite invite = new SipInvite("sip:+15551234567@pbx.example.com", "sip:alice@client.example.com",
                "pbx.example.com", "a84b4c76e66710@client.example.com", "203.0.113.10", headers);
        CallContext ctx = new CallContext(call, "CA" + "cd".repeat(16), "AC" + "01".repeat(16), invite, domain);
        Map<String, String> params = ctx.params();

        run("parse 1 kB TwiML", () -> {
            try {
                return TwimlParser.parse(DOC);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        run("build call parameters", ctx::params);
        run("sign webhook request", () -> RequestSigner.sign("0123456789abcdef0123456789abcdef",
                "https://app.example.com/voice", HttpMethod.POST, params));
    }

    static volatile Object sink;

    static void run(String name, Supplier<Object> op) {
        for (int i = 0; i < 200_000; i++) sink = op.get(); // warm-up: let the JIT compile
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            int n = 0;
            long start = System.nanoTime();
            long end = start + 300_000_000L;
            long now;
            do {
                for (int i = 0; i < 100; i++) sink = op.get();
                n += 100;
            } while ((now = System.nanoTime()) < end);
            rounds[r] = n / ((now - start) / 1e9);
        }
        java.util.Arrays.sort(rounds);
        System.out.printf("%-24s %,12.0f ops/s  (median of 7 rounds; min %,.0f, max %,.0f)%n", name,
                rounds[3], rounds[0], rounds[6]);
    }
}
