package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure matrix on a real Asterisk 22: each row a defined outcome. Webhook failures go to the fallback URL
 * with Twilio's ErrorCode (the fallback here rejects busy, so the caller's 486 proves the path); document
 * problems that are only warnings run the document; every call ends with exactly one terminal status callback.
 */
class FailureMatrixIT {
    static Bench bench;
    static ServerSocket refusedProbe;
    static ServerSocket blackhole;
    static final List<Socket> backlogFillers = new ArrayList<>();
    static final String BUSY = "<Response><Reject reason=\"busy\"/></Response>";

    @BeforeAll
    static void start() throws Exception {
        int refusedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            refusedPort = s.getLocalPort(); // closed again: connections are refused
        }
        blackhole = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()); // never accepts
        fillBacklog(blackhole);
        bench = new Bench("", """
                [refused.example.com]
                type = domain
                voice_url = http://127.0.0.1:%d/voice
                voice_fallback_url = {app}/fallback
                status_callback = {app}/status

                [blackhole.example.com]
                type = domain
                voice_url = http://127.0.0.1:%d/voice
                voice_fallback_url = {app}/fallback

                [override.example.com]
                type = domain
                voice_url = {app}/voice#rt=500&rc=0
                voice_fallback_url = {app}/fallback
                """.formatted(refusedPort, blackhole.getLocalPort()));
        for (String user : List.of("refused", "blackhole", "override")) bench.app.on(user, "/fallback", BUSY);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Socket s : backlogFillers) s.close();
        if (blackhole != null) blackhole.close();
        if (bench != null) bench.close();
    }

    /** Connects until the kernel's accept queue is full: later SYNs get no answer (a connect timeout). */
    static void fillBacklog(ServerSocket server) throws IOException {
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 200);
                backlogFillers.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return;
            }
        }
        throw new IllegalStateException("could not fill the accept queue");
    }

    static SippResult call(String user, String domain, int expected) {
        SippResult r = Sipp.scenario("reject.xml").service(user).domain(domain).finalCode(expected)
                .timeout(Duration.ofSeconds(30)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        assertTrue(r.sawBefore(180, expected), r::toString);
        return r;
    }

    static WebhookApp.Hit fallback(String user) throws InterruptedException {
        return bench.app.awaitHits(user, 1, Duration.ofSeconds(10)).stream()
                .filter(h -> h.path().equals("/fallback")).findFirst().orElseThrow();
    }

    /** Exactly one terminal status callback, with the final SIP code the caller got. */
    static void oneTerminalCallback(String user, String status, int sipCode) throws InterruptedException {
        java.util.function.Predicate<WebhookApp.Hit> terminal = h -> !List.of("initiated", "ringing", "in-progress")
                .contains(h.params().get("CallStatus"));
        long deadline = System.currentTimeMillis() + 10_000;
        List<WebhookApp.Hit> all = bench.app.statusHits(user);
        while (all.stream().noneMatch(terminal) && System.currentTimeMillis() < deadline) {
            all = bench.app.awaitStatusHits(user, all.size() + 1, Duration.ofMillis(500));
        }
        // a duplicate would come right behind the first: give it half a second to show up
        all = bench.app.awaitStatusHits(user, all.size() + 1, Duration.ofMillis(500));
        List<WebhookApp.Hit> ends = all.stream().filter(terminal).toList();
        assertEquals(1, ends.size(), () -> "terminal callbacks: " + ends.size());
        assertEquals(status, ends.get(0).params().get("CallStatus"));
        assertEquals(Integer.toString(sipCode), ends.get(0).params().get("SipResponseCode"));
        assertTrue(ends.get(0).signatureValid());
    }

    @Test
    void connectionRefused() throws Exception {
        call("refused", "refused.example.com", 486);
        assertEquals("11205", fallback("refused").params().get("ErrorCode"));
        oneTerminalCallback("refused", "busy", 486);
    }

    @Test
    void connectTimeout() throws Exception {
        call("blackhole", "blackhole.example.com", 486);
        assertEquals("11205", fallback("blackhole").params().get("ErrorCode"));
    }

    @Test
    void connectionOverrideFragmentShortensTheReadTimeout() throws Exception {
        bench.app.on("override", "/voice", WebhookApp.twiml("<Response><Hangup/></Response>")
                .setHeadersDelay(2, TimeUnit.SECONDS));
        long start = System.currentTimeMillis();
        call("override", "override.example.com", 486);
        assertTrue(System.currentTimeMillis() - start < 1900, "rt=500 must fail before the app's 2 s answer");
        WebhookApp.Hit fb = fallback("override");
        assertEquals("11205", fb.params().get("ErrorCode"));
        assertFalse(bench.app.hits("override").get(0).url().contains("#"), "the fragment is never sent");
    }

    @Test
    void redirectLoopOverHttpIsBounded() throws Exception {
        // a 302 is followed as a GET without the call's parameters (as Twilio does): count by path
        bench.app.on("http-loop", "/voice", new MockResponse().setResponseCode(302).addHeader("Location", "/loop"));
        bench.app.always("/loop", new MockResponse().setResponseCode(302).addHeader("Location", "/loop"));
        bench.app.on("http-loop", "/fallback", BUSY);
        call("http-loop", Bench.DOMAIN, 486);
        assertEquals(10, bench.app.pathHits("/loop").size(), "10 redirects followed, the 11th refused");
        assertEquals("11215", fallback("http-loop").params().get("ErrorCode"));
    }

    @Test
    void missingContentType() throws Exception {
        bench.app.on("no-type", "/voice", new MockResponse().setResponseCode(200).setBody(BUSY)
                .removeHeader("Content-Type"));
        bench.app.on("no-type", "/fallback", BUSY);
        call("no-type", Bench.DOMAIN, 486);
        assertEquals("12300", fallback("no-type").params().get("ErrorCode"));
    }

    @Test
    void wrongContentType() throws Exception {
        bench.app.on("json-type", "/voice", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "application/json").setBody("{\"twiml\":true}"));
        bench.app.on("json-type", "/fallback", BUSY);
        call("json-type", Bench.DOMAIN, 486);
        assertEquals("12300", fallback("json-type").params().get("ErrorCode"));
    }

    @Test
    void emptyBody() throws Exception {
        bench.app.on("empty", "/voice", WebhookApp.twiml(""));
        bench.app.on("empty", "/fallback", BUSY);
        call("empty", Bench.DOMAIN, 486);
        assertEquals("12100", fallback("empty").params().get("ErrorCode"));
    }

    @Test
    void bodyOver64kB() throws Exception {
        bench.app.on("big", "/voice", WebhookApp.twiml("<Response><Say>" + "a ".repeat(40_000) + "</Say></Response>"));
        bench.app.on("big", "/fallback", BUSY);
        call("big", Bench.DOMAIN, 486);
        assertEquals("11750", fallback("big").params().get("ErrorCode"));
    }

    @Test
    void unknownVerbIsSkippedWithAWarning() throws Exception {
        bench.app.on("unknown-verb", "/voice", "<Response><Frobnicate/><say>lower case</say>" + BUSY.substring(10));
        call("unknown-verb", Bench.DOMAIN, 486);
        assertEquals(1, bench.app.hits("unknown-verb").size(), "no fallback: warnings do not fail a document");
    }

    @Test
    void invalidAttributeValuesFallBackToDefaults() throws Exception {
        bench.app.on("bad-attr", "/voice", "<Response><Pause length=\"soon\"/><Reject reason=\"maybe\"/></Response>");
        SippResult r = call("bad-attr", Bench.DOMAIN, 404); // reason defaults to rejected
        // length defaults to 1 s: the 404 follows the document's fetch by that second
        long fetched = bench.app.hits("bad-attr").stream().filter(h -> h.path().equals("/voice")).findFirst()
                .orElseThrow().atMillis();
        long rejected = r.finalInviteResponse().orElseThrow().time().atZone(ZoneId.systemDefault()).toInstant()
                .toEpochMilli();
        long paused = rejected - fetched;
        assertTrue(paused >= 900 && paused < 3000, "the 404 should follow the fetch by about 1 s, was " + paused
                + " ms");
    }

    @Test
    void redirectLoopInTwimlIsBounded() throws Exception {
        bench.app.on("twiml-loop", "/voice", "<Response><Redirect>/voice</Redirect></Response>");
        call("twiml-loop", Bench.DOMAIN, 500);
        assertEquals(50, bench.app.hits("twiml-loop").size());
        oneTerminalCallback("twiml-loop", "failed", 500);
    }

    @Test
    void callerHangsUpDuringSay() throws Exception {
        bench.app.on("bye-say", "/voice", "<Response><Say loop=\"10\">This is a long message that the caller "
                + "will not wait for.</Say><Redirect>/never</Redirect></Response>");
        try (RtpSink sink = new RtpSink()) {
            SippResult r = Sipp.scenario("answer-bye.xml").service("bye-say").domain(Bench.DOMAIN)
                    .rtpPort(sink.port()).pause(Duration.ofMillis(1500)).timeout(Duration.ofSeconds(30)).run();
            assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        }
        oneTerminalCallback("bye-say", "completed", 200);
        assertEquals(1, bench.app.hits("bye-say").size(), "nothing after the hangup");
    }

    @Test
    void callerCancelsWhileTheDocumentsPauseKeepsItRinging() throws Exception {
        // a CANCEL can only come before the answer: the Pause keeps the call ringing, the Gather would answer it
        bench.app.on("cancel-gather", "/voice", "<Response><Pause length=\"3\"/><Gather><Say>Press a key.</Say>"
                + "</Gather></Response>");
        SippResult r = Sipp.scenario("ring-cancel.xml").service("cancel-gather").domain(Bench.DOMAIN)
                .pause(Duration.ofMillis(1500)).timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        WebhookApp.Hit fetched = bench.app.hits("cancel-gather").stream().filter(h -> h.path().equals("/voice"))
                .findFirst().orElseThrow(() -> new AssertionError("the CANCEL came before the document was fetched"));
        long cancelled = r.sent().stream().filter(m -> !m.isResponse() && "CANCEL".equals(m.method())).findFirst()
                .orElseThrow().time().atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        assertTrue(fetched.atMillis() < cancelled, "the CANCEL reached a call running its document");
        oneTerminalCallback("cancel-gather", "canceled", 487);
    }

    @Test
    void oversizedHeaderStillGivesADefinedCall() throws Exception {
        // Asterisk's PJSIP_HEADERS() fails ("Not enough buffer space") when a header exceeds its 4 KB print
        // buffer: the call goes on, without SipHeader_ parameters (documented)
        bench.app.on("huge-header", "/voice", BUSY);
        SippResult r = Sipp.scenario("reject.xml").service("huge-header").domain(Bench.DOMAIN).finalCode(486)
                .header("X-Huge", "y".repeat(8000)).timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r.output());
        WebhookApp.Hit hit = bench.app.awaitHits("huge-header", 1, Duration.ofSeconds(5)).get(0);
        assertFalse(hit.params().containsKey("SipHeader_X-Huge"));
        assertTrue(hit.signatureValid());
    }

    @Test
    void maliciousHeaderValuesArriveIntactAndInert() throws Exception {
        bench.app.on("evil-headers", "/voice", BUSY);
        String longValue = "x".repeat(3900);
        String utf8 = "Zürich ☎ 東京";
        SippResult r = Sipp.scenario("reject.xml").service("evil-headers").domain(Bench.DOMAIN).finalCode(486)
                .header("X-Long", longValue)
                .header("X-Utf8", new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
                .header("X-Expr", "${SHELL(id)}\\\"),EXEC System(id)")
                .timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        WebhookApp.Hit hit = bench.app.awaitHits("evil-headers", 1, Duration.ofSeconds(5)).get(0);
        assertEquals(longValue.length(), hit.params().getOrDefault("SipHeader_X-Long", "").length());
        assertEquals(utf8, hit.params().get("SipHeader_X-Utf8"));
        assertEquals("${SHELL(id)}\\\"),EXEC System(id)", hit.params().get("SipHeader_X-Expr"));
    }
}
