package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code https://user:password@host/...}: Basic auth as Twilio sends it, and the password never in a message. */
class BasicAuthTest {
    static final String TWIML = "<Response><Say>hi</Say></Response>";
    MockWebServer app;
    WebhookClient client;

    @BeforeEach
    void start() throws IOException {
        app = new MockWebServer();
        app.start();
        client = new WebhookClient("token", Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        app.shutdown();
    }

    static MockResponse challenge() {
        return new MockResponse().setResponseCode(401).setHeader("WWW-Authenticate", "Basic realm=\"twiml\"");
    }

    static MockResponse xml() {
        return new MockResponse().setHeader("Content-Type", "text/xml").setBody(TWIML);
    }

    String withUser(String user, String password, String path) {
        HttpUrl u = app.url(path);
        return u.scheme() + "://" + user + ":" + password + "@" + u.host() + ":" + u.port() + path;
    }

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theChallengeIsAnsweredWithTheUrlsCredentialsThenTheyAreSentAtOnce() throws Exception {
        app.enqueue(challenge());
        app.enqueue(xml());
        app.enqueue(xml());
        String url = withUser("twilio", "p%40ss%3Aw%C3%B6rd", "/voice");
        WebhookResponse r = client.fetch(new WebhookRequest(url, HttpMethod.POST, Map.of("CallSid", "CA1")));
        assertEquals(200, r.status());
        RecordedRequest first = app.takeRequest();
        RecordedRequest second = app.takeRequest();
        assertNull(first.getHeader("Authorization"), "Twilio's first request carries no credentials");
        assertEquals(basic("twilio:p@ss:wörd"), second.getHeader("Authorization"));
        assertEquals(first.getHeader("X-Twilio-Signature"), second.getHeader("X-Twilio-Signature"));
        assertEquals("CallSid=CA1", second.getBody().readUtf8(), "the same request, repeated");
        client.fetch(new WebhookRequest(url.replace("/voice", "/gather"), HttpMethod.POST, Map.of()));
        assertEquals(basic("twilio:p@ss:wörd"), app.takeRequest().getHeader("Authorization"),
                "once accepted, later requests to that server carry them from the start");
    }

    @Test
    void noChallengeNoCredentialsAndARefusalIs11200() throws Exception {
        app.enqueue(new MockResponse().setResponseCode(401)); // no WWW-Authenticate
        app.enqueue(challenge());
        app.enqueue(challenge());
        String url = withUser("twilio", "wrong", "/voice");
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(url, HttpMethod.GET, null)));
        assertEquals(WebhookException.HTTP_RETRIEVAL_FAILURE, e.errorCode());
        assertNull(app.takeRequest().getHeader("Authorization"));
        e = assertThrows(WebhookException.class, () -> client.fetch(new WebhookRequest(url, HttpMethod.GET, null)));
        assertEquals(WebhookException.HTTP_RETRIEVAL_FAILURE, e.errorCode(), "wrong credentials: 401 again");
        assertNull(app.takeRequest().getHeader("Authorization"));
        assertEquals(basic("twilio:wrong"), app.takeRequest().getHeader("Authorization"));
        assertEquals(3, app.getRequestCount(), "one answer to one challenge, no loop");
    }

    @Test
    void aUrlWithoutUserInfoNeverSendsAuthorization() throws Exception {
        app.enqueue(challenge());
        assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(app.url("/voice").toString(), HttpMethod.GET, null)));
        assertEquals(1, app.getRequestCount());
    }

    @Test
    void thePasswordNeverAppearsInMessages() throws Exception {
        app.enqueue(new MockResponse().setResponseCode(404));
        app.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", withUser("u", "hunter2", "/x")));
        app.enqueue(new MockResponse().setResponseCode(404));
        for (int i = 0; i < 2; i++) {
            WebhookException e = assertThrows(WebhookException.class, () -> client.fetch(
                    new WebhookRequest(withUser("u", "hunter2", "/voice"), HttpMethod.GET, null)));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertTrue(e.getMessage().contains("u:***@"), e.getMessage());
        }
    }
}
