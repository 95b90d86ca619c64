package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.AsteriskSandbox;
import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as users run it (the jar, in its own process) dying or being stopped under live calls, and Asterisk
 * going away under the server: Asterisk's dialplan falls back cleanly (503 before answer, BYE after), the server
 * ends its side quietly, and the next call works.
 */
class ServerRestartIT {
    static AsteriskSandbox asterisk;
    static WebhookApp app;
    static Path config;
    static final HttpClient http = HttpClient.newHttpClient();
    Process server;
    Path serverLog;

    @BeforeAll
    static void start() throws Exception {
        asterisk = AsteriskSandbox.start();
        app = new WebhookApp(Bench.TOKEN);
        config = Files.createTempFile("twiml-agi-restart", ".conf");
        Files.writeString(config, """
                [general]
                agi_bind = 127.0.0.1:%d
                http_bind = 127.0.0.1:18091
                account_sid = %s
                auth_token = %s
                voice_url = %s
                media_dir = %s
                asterisk_media_dir = %s
                shutdown_grace_seconds = 10
                status_callback = %s
                """.formatted(AsteriskSandbox.AGI_PORT, Bench.ACCOUNT, Bench.TOKEN, app.url("/voice"),
                asterisk.mediaDirOnHost(), asterisk.mediaDirInAsterisk(), app.url(WebhookApp.STATUS_PATH)));
        app.always(WebhookApp.STATUS_PATH, new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) app.close();
        if (asterisk != null) asterisk.close();
        if (config != null) Files.deleteIfExists(config);
    }

    @AfterEach
    void killServer() throws Exception {
        if (server != null && server.isAlive()) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    void startServer() throws Exception {
        serverLog = Files.createTempFile("twiml-agi-restart", ".log");
        server = new ProcessBuilder("java", "-jar", "target/twiml-agi.jar", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18091/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server did not start:\n" + Files.readString(serverLog));
    }

    /** Waits until a channel in our AGI shows this verb (TWIML_VERB, set when a verb that takes time starts). */
    void awaitVerb(String verb) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : asterisk.cli("core show channels concise").split("\n")) {
                // the application column shows the last one our AGI ran (MSet for the TWIML_* variables)
                if (line.contains("!") && asterisk.cli("core show channel " + line.split("!")[0])
                        .contains("TWIML_VERB=" + verb)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no channel in " + verb + ":\n" + asterisk.cli("core show channels concise"));
    }

    void noStackTraces() throws IOException {
        String log = Files.readString(serverLog);
        assertFalse(log.contains("\tat ") || log.contains("Exception"), "no stack trace in the server log:\n" + log);
    }

    @Test
    void serverKilledWhileRinging_thenDialplanRejects503_andARestartedServerTakesCalls() throws Exception {
        startServer();
        app.on("killed-ringing", "/voice", "<Response><Pause length=\"20\"/></Response>");
        CompletableFuture<SippResult> call = Sipp.scenario("reject.xml").service("killed-ringing").domain("pbx.example.com")
                .finalCode(503).timeout(Duration.ofSeconds(30)).start();
        app.awaitHits("killed-ringing", 1, Duration.ofSeconds(10));
        awaitVerb("Pause"); // our <Pause> runs as an interruptible WAIT FOR DIGIT inside the AGI
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        SippResult r = call.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> "caller must get 503 at once:\n" + r + "\n" + r.output());

        startServer();
        app.on("after-restart", "/voice", "<Response><Reject reason=\"busy\"/></Response>");
        SippResult next = Sipp.scenario("reject.xml").service("after-restart").domain("pbx.example.com")
                .finalCode(486).timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, next.exitCode(), () -> next + "\n" + next.output());
    }

    @Test
    void serverKilledWhileAnswered_thenTheCallerGetsABye() throws Exception {
        startServer();
        app.on("killed-answered", "/voice", "<Response><Say>Hello.</Say><Pause length=\"20\"/></Response>");
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = Sipp.scenario("answer-wait-bye.xml").service("killed-answered")
                    .domain("pbx.example.com").rtpPort(sink.port()).timeout(Duration.ofSeconds(30)).start();
            assertTrue(sink.awaitSpeechMillis(200, Duration.ofSeconds(10)));
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killed = System.currentTimeMillis();
            SippResult r = call.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), () -> r + "\n" + r.output());
            assertTrue(System.currentTimeMillis() - killed < 5000, "BYE right after the server died");
        }
    }

    @Test
    void sigtermLetsTheRunningCallFinishAndRefusesNewOnes() throws Exception {
        startServer();
        app.on("graceful", "/voice", "<Response><Pause length=\"2\"/><Reject reason=\"busy\"/></Response>");
        CompletableFuture<SippResult> running = Sipp.scenario("reject.xml").service("graceful")
                .domain("pbx.example.com").finalCode(486).timeout(Duration.ofSeconds(30)).start();
        app.awaitHits("graceful", 1, Duration.ofSeconds(10));
        server.destroy(); // SIGTERM
        SippResult refused = Sipp.scenario("reject.xml").service("graceful-new").domain("pbx.example.com")
                .finalCode(503).timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, refused.exitCode(), () -> "new calls get 503 during shutdown:\n" + refused);
        SippResult r = running.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> "the running call finishes (486):\n" + r + "\n" + r.output());
        assertTrue(server.waitFor(15, TimeUnit.SECONDS), "the server exits after its calls");
        assertEquals(0, app.hits("graceful-new").size());
        List<WebhookApp.Hit> status = app.awaitStatusHits("graceful", 1, Duration.ofSeconds(5));
        assertEquals(1, status.size(), "the running call's terminal callback goes out before the exit");
        assertEquals("busy", status.get(0).params().get("CallStatus"));
        assertEquals("486", status.get(0).params().get("SipResponseCode"));
        noStackTraces();
    }

    @Test
    void operatorSeesTheCallInTheAsteriskCliAndInMetrics() throws Exception {
        startServer();
        app.on("ops-view", "/voice", "<Response><Pause length=\"20\"/></Response>");
        CompletableFuture<SippResult> call = Sipp.scenario("ring-cancel.xml").service("ops-view")
                .domain("pbx.example.com").pause(Duration.ofSeconds(8)).timeout(Duration.ofSeconds(30)).start();
        app.awaitHits("ops-view", 1, Duration.ofSeconds(10));
        String channel = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) { // the Pause runs once the variables are set
            for (String line : asterisk.cli("core show channels concise").split("\n")) {
                if (line.contains("!")) channel = line.split("!")[0];
            }
            if (channel != null && asterisk.cli("core show channel " + channel).contains("TWIML_VERB=Pause")) break;
            Thread.sleep(50);
        }
        String shown = asterisk.cli("core show channel " + channel);
        assertTrue(shown.matches("(?s).*TWIML_CALLSID=CA[0-9a-f]{32}.*"), shown);
        assertTrue(shown.contains("TWIML_URL=" + app.url("/voice")), shown);
        assertTrue(shown.contains("TWIML_VERB=Pause"), shown);
        assertTrue(get("/metrics").contains("\ntwiml_agi_active_calls 1.0\n"), "one call in progress");
        assertEquals(0, call.get(30, TimeUnit.SECONDS).exitCode());
        String metrics = get("/metrics");
        assertTrue(metrics.contains("\ntwiml_agi_calls_total{sip_code=\"487\"} 1.0\n"), metrics);
        assertTrue(metrics.contains("\ntwiml_agi_webhook_duration_seconds_count 1\n"), metrics);
        for (String family : new String[] {"jvm_memory_used_bytes{area=\"heap\"} ", "jvm_threads_current ",
                "jvm_gc_collection_seconds_count{gc=", "process_cpu_seconds_total ", "process_open_fds "}) {
            assertTrue(metrics.contains("\n" + family), family + " missing from the jar's /metrics:\n" + metrics);
        }
        assertTrue(get("/health").contains("\"status\":\"ok\""));
    }

    @Test
    void sighupReloadsTheConfigForNewCalls() throws Exception {
        startServer();
        app.on("reloaded", "/voice", "<Response><Reject/></Response>");
        app.on("reloaded", "/other", "<Response><Reject reason=\"busy\"/></Response>");
        assertEquals(0, Sipp.scenario("reject.xml").service("reloaded").domain("new.example.com").finalCode(404)
                .timeout(Duration.ofSeconds(20)).run().exitCode());
        String original = Files.readString(config);
        try {
            Files.writeString(config, original + "\n[new.example.com]\ntype = domain\nvoice_url = "
                    + app.url("/other") + "\n");
            new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.readString(serverLog).contains("config reloaded") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            SippResult r = Sipp.scenario("reject.xml").service("reloaded").domain("new.example.com").finalCode(486)
                    .timeout(Duration.ofSeconds(20)).run();
            assertEquals(0, r.exitCode(), () -> "the new domain section applies: " + r);
        } finally {
            Files.writeString(config, original);
        }
    }

    static String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18091" + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void asteriskGoesAwayMidCall_theServerEndsTheCallQuietlyAndServesTheNextAsterisk() throws Exception {
        startServer();
        app.on("ast-gone", "/voice", "<Response><Pause length=\"20\"/></Response>");
        CompletableFuture<SippResult> call = Sipp.scenario("reject.xml").service("ast-gone").domain("pbx.example.com")
                .finalCode(503).timeout(Duration.ofSeconds(10)).start();
        app.awaitHits("ast-gone", 1, Duration.ofSeconds(10));
        asterisk.close(); // "core stop now": the AGI socket closes under the server
        call.get(30, TimeUnit.SECONDS); // the caller's side ends however it ends: Asterisk is gone
        asterisk = AsteriskSandbox.start();
        app.on("ast-back", "/voice", "<Response><Reject reason=\"busy\"/></Response>");
        SippResult next = Sipp.scenario("reject.xml").service("ast-back").domain("pbx.example.com")
                .finalCode(486).timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, next.exitCode(), () -> next + "\n" + next.output());
        noStackTraces();
    }
}
