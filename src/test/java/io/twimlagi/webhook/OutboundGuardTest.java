package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client never reaches this server's own listeners nor link-local addresses: not directly, not through a
 * host name, not on a redirect hop. {@code own} stands for our http_bind (it would answer text/plain, which a
 * call would speak); {@code app} is a TwiML app on loopback, which stays reachable.
 */
class OutboundGuardTest {
    MockWebServer app;
    MockWebServer own;
    WebhookClient client;

    @BeforeEach
    void start() throws IOException {
        app = new MockWebServer();
        app.start();
        own = new MockWebServer();
        own.start(InetAddress.getLoopbackAddress(), 0);
        own.enqueue(new MockResponse().setHeader("Content-Type", "text/plain").setBody("secret=hunter2"));
        OwnAddresses ours = new OwnAddresses(List.of(new InetSocketAddress("127.0.0.1", own.getPort())));
        client = new WebhookClient("token", Duration.ofSeconds(2), Duration.ofSeconds(3), new OutboundGuard(ours));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        app.shutdown();
        own.shutdown();
    }

    private WebhookException refused(String url) {
        return assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(url, HttpMethod.POST, Map.of("CallSid", "CA1"))));
    }

    @Test
    void ourOwnListenerIsRefusedByAddressWhateverItIsCalled() throws Exception {
        for (String host : List.of("127.0.0.1", "localhost", "0.0.0.0", "[::ffff:127.0.0.1]")) {
            WebhookException e = refused("http://" + host + ":" + own.getPort() + "/realtime/ps_auths/single");
            assertEquals(WebhookException.HTTP_RETRIEVAL_FAILURE, e.errorCode(), host + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("own listener"), e.getMessage());
        }
        assertEquals(0, own.getRequestCount(), "not one request may reach our own server");
    }

    @Test
    void aRedirectHopToOurOwnListenerIsRefused() throws Exception {
        app.enqueue(new MockResponse().setResponseCode(302)
                .setHeader("Location", "http://localhost:" + own.getPort() + "/metrics"));
        WebhookException e = refused(app.url("/voice").toString());
        assertEquals(WebhookException.HTTP_RETRIEVAL_FAILURE, e.errorCode());
        assertEquals(1, app.getRequestCount());
        assertEquals(0, own.getRequestCount());
    }

    @Test
    void linkLocalAddressesAreRefusedAtOnceDirectlyAndOnARedirect() throws Exception {
        long start = System.nanoTime();
        WebhookException direct = refused("http://169.254.169.254/latest/meta-data/");
        app.enqueue(new MockResponse().setResponseCode(307)
                .setHeader("Location", "http://[fe80::1]:8080/computeMetadata/v1/"));
        WebhookException hop = refused(app.url("/voice").toString());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        for (WebhookException e : List.of(direct, hop)) {
            assertEquals(WebhookException.HTTP_RETRIEVAL_FAILURE, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("link-local"), e.getMessage());
        }
        assertTrue(ms < 1500, "refused before any connection attempt, took " + ms + " ms");
    }

    @Test
    void theAppOnLoopbackStaysReachable() throws Exception {
        app.enqueue(new MockResponse().setHeader("Content-Type", "text/xml").setBody("<Response/>"));
        WebhookResponse r = client.fetch(new WebhookRequest(app.url("/voice").toString(), HttpMethod.GET, null));
        assertEquals(200, r.status());
    }

    @Test
    void callbacksGoThroughTheSameGuard() throws Exception {
        try (CallbackSender sender = new CallbackSender(client)) {
            sender.send("CA1", "status callback", new WebhookRequest("http://localhost:" + own.getPort() + "/x",
                    HttpMethod.POST, Map.of()));
            app.enqueue(new MockResponse().setResponseCode(204));
            sender.send("CA1", "status callback", new WebhookRequest(app.url("/status").toString(),
                    HttpMethod.POST, Map.of()));
            assertEquals("/status", app.takeRequest(5, TimeUnit.SECONDS).getPath());
        }
        assertNull(own.takeRequest(100, TimeUnit.MILLISECONDS));
    }
}
