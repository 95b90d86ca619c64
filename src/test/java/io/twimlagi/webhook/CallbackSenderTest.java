package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class CallbackSenderTest {
    MockWebServer slow;
    MockWebServer fast;
    final CountDownLatch release = new CountDownLatch(1);
    WebhookClient client;
    CallbackSender sender;

    @BeforeEach
    void start() throws IOException {
        slow = new MockWebServer();
        slow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                release.await(20, TimeUnit.SECONDS); // an app that hangs until the test lets it go
                return new MockResponse().setResponseCode(204);
            }
        });
        slow.start();
        fast = new MockWebServer();
        fast.start();
        client = new WebhookClient("token", Duration.ofSeconds(2), Duration.ofSeconds(15));
        sender = new CallbackSender(client);
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        sender.close();
        client.close();
        slow.shutdown();
        fast.shutdown();
    }

    static WebhookRequest post(MockWebServer server, String path, String seq) {
        return new WebhookRequest(server.url(path).toString(), HttpMethod.POST, Map.of("SequenceNumber", seq));
    }

    @Test
    void aHangingHostDelaysOnlyItsOwnCallbacks() throws Exception {
        for (int i = 0; i < 20; i++) sender.send("CA1", "status callback", post(slow, "/status", "" + i));
        for (int i = 0; i < CallbackSender.PER_HOST; i++) {
            assertNotNull(slow.takeRequest(5, TimeUnit.SECONDS), "the slow app's first callbacks are in flight");
        }
        assertNull(slow.takeRequest(300, TimeUnit.MILLISECONDS), "no more than PER_HOST at once for one host");
        fast.enqueue(new MockResponse().setResponseCode(204));
        sender.send("CA2", "status callback", post(fast, "/status", "0"));
        RecordedRequest other = fast.takeRequest(2, TimeUnit.SECONDS);
        assertNotNull(other, "another app's callback goes out while the first app hangs");
        release.countDown();
        Set<String> delivered = new HashSet<>();
        for (int i = 0; i < 20 - CallbackSender.PER_HOST; i++) {
            RecordedRequest r = slow.takeRequest(5, TimeUnit.SECONDS);
            assertNotNull(r, "the queued callbacks go out once the app answers");
            delivered.add(r.getBody().readUtf8());
        }
        assertEquals(20 - CallbackSender.PER_HOST, delivered.size(), "each exactly once");
        assertNull(slow.takeRequest(300, TimeUnit.MILLISECONDS), "and no more");
    }

    @Test
    void aFailedCallbackIsRetriedInItsLane() throws Exception {
        fast.enqueue(new MockResponse().setResponseCode(500));
        fast.enqueue(new MockResponse().setResponseCode(204));
        sender.send("CA1", "status callback", post(fast, "/status", "7"));
        assertEquals("SequenceNumber=7", fast.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertEquals("SequenceNumber=7", fast.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertNull(fast.takeRequest(1500, TimeUnit.MILLISECONDS), "delivered: no third attempt");
    }

    @Test
    void aCallbackToAFileUrlIsNeverSentAndNeverThrows() throws Exception {
        sender.send("CA1", "recordingStatusCallback",
                new WebhookRequest("file:///etc/passwd", HttpMethod.POST, Map.of()));
        sender.send("CA1", "recordingStatusCallback",
                new WebhookRequest("refused:file:///etc/passwd", HttpMethod.POST, Map.of()));
        fast.enqueue(new MockResponse().setResponseCode(204));
        sender.send("CA1", "status callback", post(fast, "/status", "1"));
        assertNotNull(fast.takeRequest(5, TimeUnit.SECONDS));
    }

    @Test
    void aCallbackUrlIsLoggedInOneLineWhateverTheAppWroteInIt() {
        // OkHttp requests http://x/a2026... (it drops the line break): the log must not show a second line
        String forged = CallbackSender.shownUrl("http://x/a\n2026-12-03T12:00:00.000 ERROR [agi-1] forged\u2028more\u001b[2J");
        assertFalse(forged.matches("(?s).*[\\n\\r\\u2028\\u2029\\u001b].*"), forged);
        assertEquals("http://x/a2026-12-03T12:00:00.000%20ERROR%20[agi-1]%20forged%E2%80%A8more%1B[2J", forged);
        String invalid = CallbackSender.shownUrl("not a url\n2026 ERROR forged\u2028");
        assertFalse(invalid.matches("(?s).*[\\n\\u2028].*"), invalid);
    }
}
