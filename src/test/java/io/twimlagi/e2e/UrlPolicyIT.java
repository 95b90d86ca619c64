package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.media.ToneTts;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "Security" on a real Asterisk 22: what a URL in TwiML may reach. An HTTP document's {@code file:} Play
 * is not heard (only the next verb's tone is); a Redirect to our own HTTP server goes to the fallback with 11200
 * and nothing of its answer reaches the caller; a domain whose voice_url is {@code file:} plays the files below its
 * folder and nothing outside it. Tones tell the files apart: 880 Hz is allowed audio, 440 Hz must never be heard.
 */
class UrlPolicyIT {
    static final String FILES_DOMAIN = "files.example.com";
    static final String BUSY = "<Response><Reject reason=\"busy\"/></Response>";
    static Bench bench;
    static Path apps;
    static Path outside;

    @BeforeAll
    static void start() throws Exception {
        apps = Files.createTempDirectory("twiml-apps");
        outside = Files.createTempDirectory("twiml-outside");
        Files.write(apps.resolve("allowed-880.wav"), ToneTts.wav(8000, 1, 2.0, 880));
        Files.write(outside.resolve("secret-440.wav"), ToneTts.wav(8000, 1, 2.0, 440));
        Files.writeString(apps.resolve("main.xml"), "<Response><Play>allowed-880.wav</Play>"
                + "<Play>" + outside.resolve("secret-440.wav").toUri() + "</Play>"
                + "<Play>../" + outside.getFileName() + "/secret-440.wav</Play><Pause length=\"1\"/></Response>");
        bench = new Bench("", """
                [%s]
                type = domain
                voice_url = %s
                """.formatted(FILES_DOMAIN, apps.resolve("main.xml").toUri()));
        bench.app.always("/media/allowed-880.wav", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/wav").setBody(new Buffer().write(ToneTts.wav(8000, 1, 2.0, 880))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
        for (Path dir : new Path[]{apps, outside}) {
            if (dir == null) continue;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    static void assertOnlyTheAllowedToneWasHeard(RtpSink sink) {
        long allowed = sink.toneMillis(880, 0);
        long secret = sink.toneMillis(440, 0);
        assertTrue(allowed >= 1500, "the allowed 880 Hz file plays: " + allowed + " ms");
        assertTrue(secret < 200, "the local 440 Hz file must not be heard: " + secret + " ms");
    }

    @Test
    void anHttpDocumentsPlayOfALocalFileIsNotHeardAndTheNextVerbRuns() throws Exception {
        bench.app.on("play-file", "/voice", "<Response><Play>" + outside.resolve("secret-440.wav").toUri()
                + "</Play><Play>/media/allowed-880.wav</Play></Response>");
        try (RtpSink sink = new RtpSink()) {
            MediaIT.answeredCall("play-file", sink);
            assertOnlyTheAllowedToneWasHeard(sink);
        }
    }

    @Test
    void aRedirectToOurOwnHttpServerGoesToTheFallbackWith11200AndNothingIsSpoken() throws Exception {
        int ownPort = 18089; // Bench's http_bind
        for (String user : new String[]{"self-health", "self-metrics"}) {
            String path = user.equals("self-health") ? "/health" : "/metrics";
            bench.app.on(user, "/voice", "<Response><Redirect method=\"GET\">http://localhost:" + ownPort + path
                    + "</Redirect></Response>");
            bench.app.on(user, "/fallback", BUSY);
            SippResult r = Sipp.scenario("reject.xml").service(user).domain(Bench.DOMAIN).finalCode(486)
                    .timeout(Duration.ofSeconds(30)).run();
            assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
            assertTrue(r.sawBefore(180, 486), () -> "rejected by the fallback, never answered:\n" + r);
            assertFalse(r.received().stream().anyMatch(m -> m.isResponse() && m.statusCode() == 200),
                    () -> "our own " + path + " must not be answered and spoken:\n" + r);
            WebhookApp.Hit fallback = bench.app.awaitHits(user, 2, Duration.ofSeconds(10)).stream()
                    .filter(h -> h.path().equals("/fallback")).findFirst().orElseThrow();
            assertEquals("11200", fallback.params().get("ErrorCode"), path);
            assertEquals("http://localhost:" + ownPort + path, fallback.params().get("ErrorUrl"));
        }
    }

    @Test
    void aFileDomainPlaysItsFilesBelowItsFolderOnly() throws Exception {
        try (RtpSink sink = new RtpSink()) {
            SippResult r = Sipp.scenario("answer-wait-bye.xml").service("files").domain(FILES_DOMAIN)
                    .rtpPort(sink.port()).timeout(Duration.ofSeconds(40)).run();
            assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
            assertTrue(r.sawBefore(180, 200), r::toString);
            assertOnlyTheAllowedToneWasHeard(sink);
        }
    }
}
