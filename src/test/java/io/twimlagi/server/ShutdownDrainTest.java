package io.twimlagi.server;

import io.twimlagi.agi.FakeAsterisk;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.media.ToneTts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graceful shutdown refuses new calls (inbound: 503 on the INVITE; REST: 503 JSON) while the FastAGI port stays
 * open for the calls still running: a REST call's Dial reports its end on a new AGI connection, a Dial leg's
 * answer runs the leg's script, and both must still reach the server until the last call is over.
 */
class ShutdownDrainTest {
    static final String SEP = "\u001e|\u001e";
    static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);

    @TempDir
    Path dir;
    TwimlAgiServer server;
    InetSocketAddress agi;
    int httpPort;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("pause.xml"), "<Response><Pause length=\"30\"/><Hangup/></Response>");
        Files.writeString(dir.resolve("reject.xml"), "<Response><Reject reason=\"busy\"/></Response>");
        int agiPort = DomainAdmissionTest.freePort();
        httpPort = DomainAdmissionTest.freePort();
        String conf = """
                [general]
                agi_bind = 127.0.0.1:%d
                http_bind = 127.0.0.1:%d
                account_sid = %s
                auth_token = token
                voice_url = %s
                media_dir = %s
                sip_capture = off
                [pause.test]
                type = domain
                voice_url = %s
                """.formatted(agiPort, httpPort, ACCOUNT, dir.resolve("reject.xml").toUri(), dir.resolve("media"),
                dir.resolve("pause.xml").toUri());
        server = TwimlAgiServer.start(ConfigLoader.load(Files.writeString(dir.resolve("t.conf"), conf)), new ToneTts());
        agi = new InetSocketAddress("127.0.0.1", agiPort);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String invite(String domain) {
        return "200 result=1 (sip:bob@" + domain + SEP + "\"a\" <sip:a@127.0.0.1:5061>" + SEP + "1@127.0.0.1" + SEP
                + "127.0.0.1:5061" + SEP + SEP + SEP + "sipp" + SEP.repeat(8) + ")";
    }

    @Test
    void newCallsAre503WhileTheRunningOnesFinishOnAnOpenPort() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<String>> running = CompletableFuture.supplyAsync(() -> run(new FakeAsterisk(cmd -> {
            if (FakeAsterisk.isInviteRead(cmd)) return invite("pause.test");
            if (cmd.startsWith("WAIT FOR DIGIT")) {
                paused.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "200 result=0"; // the pause's time is up
            }
            return "200 result=0";
        }).env("uniqueid", "1700000000.1")));
        assertTrue(paused.await(10, TimeUnit.SECONDS), "the first call is in its Pause");

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> server.shutdown(Duration.ofSeconds(20)));
        // a new call: its INVITE is read and refused 503 (before the shutdown: the document's 486)
        List<String> refused = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<String> c = run(new FakeAsterisk(cmd -> FakeAsterisk.isInviteRead(cmd) ? invite("other.test")
                    : cmd.startsWith("EXEC \"PJSIPHangup\"") ? "200 result=-1\nHANGUP" : "200 result=0")
                    .env("uniqueid", "1700000000.2"));
            if (c.contains("EXEC \"PJSIPHangup\" \"503\"")) {
                refused = c;
                break;
            }
            assertEquals("EXEC \"PJSIPHangup\" \"486\"", c.get(c.size() - 1), "before the shutdown: " + c);
        }
        assertTrue(refused != null && refused.size() == 2, "refused with 503 on an open port: " + refused);

        HttpResponse<String> rest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (ACCOUNT + ":token").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("To=sip%3Abob%40example.com&From=%2B15551234567"
                        + "&Url=http%3A%2F%2Fexample.com%2Fx")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, rest.statusCode(), rest.body());
        assertTrue(rest.body().contains("shutting down"), rest.body());

        assertFalse(shutdown.isDone(), "the shutdown waits for the running call");
        release.countDown();
        List<String> first = running.get(10, TimeUnit.SECONDS);
        assertTrue(first.stream().anyMatch(c -> c.startsWith("WAIT FOR DIGIT")), first.toString());
        shutdown.get(10, TimeUnit.SECONDS);
    }

    private List<String> run(FakeAsterisk asterisk) {
        try {
            return asterisk.run(agi);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
