package io.twimlagi.webhook;

import com.twilio.security.RequestValidator;
import io.twimlagi.twiml.HttpMethod;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookClientTest {
    static final String TOKEN = "0123456789abcdef0123456789abcdef";
    static final String TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Hi</Say></Response>";

    MockWebServer server;
    WebhookClient client;

    @BeforeEach
    void setUp() throws Exception {
        server = new MockWebServer();
        server.start();
        client = new WebhookClient(TOKEN, Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        server.shutdown();
    }

    private static MockResponse xml(String body) {
        return new MockResponse().setHeader("Content-Type", "text/xml; charset=utf-8").setBody(body);
    }

    private static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CallSid", "CA0123456789abcdef0123456789abcdef");
        p.put("From", "sip:+15550001111@pbx.example.com");
        p.put("To", "sip:alice@pbx.example.com");
        p.put("SipHeader_X-Note", "a b&c=d;e%f");
        p.put("Caller", "Zoë 中文");
        return p;
    }

    private static boolean validSignature(RecordedRequest r, Map<String, String> params) {
        return new RequestValidator(TOKEN).validate(r.getRequestUrl().toString(), params,
                r.getHeader("X-Twilio-Signature"));
    }

    private static Map<String, String> formParams(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        if (body.isEmpty()) return m;
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            m.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void postSendsOrderedFormBodyAndValidSignature() throws Exception {
        server.enqueue(xml(TWIML));
        String url = server.url("/voice?app=1").toString();
        WebhookResponse r = client.fetch(new WebhookRequest(url, HttpMethod.POST, params()));
        assertEquals(200, r.status());
        assertEquals("text/xml; charset=utf-8", r.contentType());
        assertEquals(TWIML, r.text());
        assertEquals(url, r.finalUrl());

        RecordedRequest req = server.takeRequest();
        assertEquals("POST", req.getMethod());
        assertEquals("/voice?app=1", req.getPath());
        assertEquals("application/x-www-form-urlencoded; charset=utf-8", req.getHeader("Content-Type"));
        assertEquals("TwilioProxy/1.1", req.getHeader("User-Agent"));
        assertEquals("*/*", req.getHeader("Accept"));
        String body = req.getBody().readUtf8();
        assertTrue(body.startsWith("CallSid=CA0123456789abcdef0123456789abcdef&From=sip%3A%2B15550001111"), body);
        assertEquals(params(), formParams(body));
        assertEquals(java.util.List.copyOf(params().keySet()), java.util.List.copyOf(formParams(body).keySet()));
        assertTrue(validSignature(req, params()), "Twilio's RequestValidator accepts our signature");
    }

    @Test
    void getAppendsParamsToExistingQueryAndSignsFinalUrl() throws Exception {
        server.enqueue(xml(TWIML));
        String url = server.url("/voice?app=1").toString();
        WebhookResponse r = client.fetch(new WebhookRequest(url, HttpMethod.GET, params()));
        RecordedRequest req = server.takeRequest();
        assertEquals("GET", req.getMethod());
        assertEquals(0, req.getBodySize());
        HttpUrl seen = req.getRequestUrl();
        assertEquals("1", seen.queryParameter("app"));
        assertEquals("app", seen.queryParameterName(0));
        for (Map.Entry<String, String> e : params().entrySet()) {
            assertEquals(e.getValue(), seen.queryParameter(e.getKey()));
        }
        assertTrue(seen.encodedQuery().contains("From=sip%3A%2B15550001111%40"), "a '+' must be percent-encoded: "
                + seen.encodedQuery());
        assertEquals(seen.toString(), r.finalUrl());
        assertTrue(validSignature(req, Map.of()), "GET: signature over the full URL, nothing appended");
    }

    @Test
    void fragmentIsNeitherSentNorSigned() throws Exception {
        server.enqueue(xml(TWIML));
        String base = server.url("/voice?x=1").toString();
        client.fetch(new WebhookRequest(base + "#ct=1000&rt=2000", HttpMethod.POST, params()));
        RecordedRequest req = server.takeRequest();
        assertEquals(base, req.getRequestUrl().toString());
        assertTrue(validSignature(req, params()));
    }

    @Test
    void serverErrorIs11200() {
        server.enqueue(new MockResponse().setResponseCode(500).setHeader("Content-Type", "text/plain").setBody("x"));
        String url = server.url("/voice").toString();
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(url, HttpMethod.POST, params())));
        assertEquals(11200, e.errorCode());
        assertEquals(500, e.httpStatus());
        assertEquals(url, e.url());
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertEquals(1, server.getRequestCount(), "default policy does not retry 5xx");
    }

    @Test
    void clientErrorIs11200() {
        server.enqueue(new MockResponse().setResponseCode(404).setHeader("Content-Type", "text/html"));
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(server.url("/x").toString(), HttpMethod.GET, Map.of())));
        assertEquals(11200, e.errorCode());
        assertTrue(e.getMessage().contains("404"));
    }

    @Test
    void connectionRefusedIs11205() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/voice";
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(url, HttpMethod.POST, params())));
        assertEquals(11205, e.errorCode());
        assertEquals(url, e.url());
        assertTrue(e.getMessage().contains("after 1 retries"), "default rc=1 on connect failure: " + e.getMessage());
    }

    @Test
    void slowServerBeyondTotalTimeoutIs11205() throws Exception {
        try (WebhookClient quick = new WebhookClient(TOKEN, Duration.ofSeconds(1), Duration.ofMillis(300))) {
            server.enqueue(xml(TWIML).setHeadersDelay(3, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            WebhookException e = assertThrows(WebhookException.class,
                    () -> quick.fetch(new WebhookRequest(server.url("/slow").toString(), HttpMethod.POST, params())));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(11205, e.errorCode());
            assertTrue(ms < 2000, "gave up after " + ms + " ms");
        }
    }

    @Test
    void slowBodyCountsAgainstTotalTime() throws Exception {
        try (WebhookClient quick = new WebhookClient(TOKEN, Duration.ofSeconds(1), Duration.ofMillis(400))) {
            server.enqueue(xml(TWIML + " ".repeat(1000)).throttleBody(100, 150, TimeUnit.MILLISECONDS));
            long t0 = System.nanoTime();
            WebhookException e = assertThrows(WebhookException.class,
                    () -> quick.fetch(new WebhookRequest(server.url("/slow").toString(), HttpMethod.GET, Map.of())));
            assertEquals(11205, e.errorCode());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2000);
        }
    }

    @Test
    void threeRedirectsFollowedAndEachHopResigned() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", "/b?hop=2"));
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "c"));
        server.enqueue(new MockResponse().setResponseCode(301)
                .setHeader("Location", server.url("/d?hop=4").toString()));
        server.enqueue(xml(TWIML));
        String url = server.url("/a?hop=1").toString();
        WebhookResponse r = client.fetch(new WebhookRequest(url, HttpMethod.POST, params()));
        assertEquals(server.url("/d?hop=4").toString(), r.finalUrl());
        assertEquals(4, server.getRequestCount());

        RecordedRequest a = server.takeRequest();
        assertEquals("POST", a.getMethod());
        assertTrue(validSignature(a, params()));

        RecordedRequest b = server.takeRequest();   // 307: same method and body, re-signed for the new URL
        assertEquals("POST", b.getMethod());
        assertEquals("/b?hop=2", b.getPath());
        assertEquals(params(), formParams(b.getBody().readUtf8()));
        assertTrue(validSignature(b, params()));

        RecordedRequest c = server.takeRequest();   // 302: GET, params not re-sent, relative Location resolved
        assertEquals("GET", c.getMethod());
        assertEquals("/c", c.getPath());
        assertTrue(validSignature(c, Map.of()));

        RecordedRequest d = server.takeRequest();
        assertEquals("GET", d.getMethod());
        assertEquals("/d?hop=4", d.getPath());
        assertTrue(validSignature(d, Map.of()));
    }

    @Test
    void tenRedirectsAreFine() throws Exception {
        for (int i = 0; i < 10; i++) {
            server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/r" + i));
        }
        server.enqueue(xml(TWIML));
        WebhookResponse r = client.fetch(new WebhookRequest(server.url("/start").toString(), HttpMethod.GET, Map.of()));
        assertEquals(200, r.status());
        assertEquals(11, server.getRequestCount());
    }

    @Test
    void elevenRedirectsAre11215() {
        for (int i = 0; i < 11; i++) {
            server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/r" + i));
        }
        server.enqueue(xml(TWIML));
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(server.url("/start").toString(), HttpMethod.POST, params())));
        assertEquals(11215, e.errorCode());
        assertEquals(11, server.getRequestCount());
    }

    @Test
    void redirectWithoutLocationIs11200() {
        server.enqueue(new MockResponse().setResponseCode(302));
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(server.url("/x").toString(), HttpMethod.POST, params())));
        assertEquals(11200, e.errorCode());
    }

    @Test
    void bodyOver64kIs11750() {
        server.enqueue(xml("x".repeat(70 * 1024)));
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(server.url("/big").toString(), HttpMethod.POST, params())));
        assertEquals(11750, e.errorCode());
    }

    @Test
    void chunkedBodyOver64kIs11750() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/xml")
                .setChunkedBody("y".repeat(70 * 1024), 4096));
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(server.url("/big").toString(), HttpMethod.GET, Map.of())));
        assertEquals(11750, e.errorCode());
    }

    @Test
    void bodyOfExactly64kIsAccepted() throws Exception {
        byte[] body = "z".repeat(WebhookClient.MAX_BODY_BYTES).getBytes(StandardCharsets.US_ASCII);
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/plain").setBody(new Buffer().write(body)));
        WebhookResponse r = client.fetch(new WebhookRequest(server.url("/ok").toString(), HttpMethod.GET, Map.of()));
        assertArrayEquals(body, r.body());
    }

    @Test
    void missingContentTypeIs12300() {
        MockResponse resp = new MockResponse().setBody(TWIML);
        resp.removeHeader("Content-Type");
        server.enqueue(resp);
        WebhookException e = assertThrows(WebhookException.class,
                () -> client.fetch(new WebhookRequest(server.url("/x").toString(), HttpMethod.POST, params())));
        assertEquals(12300, e.errorCode());
    }

    @Test
    void otherContentTypesAreReturnedAsIs() throws Exception {
        server.enqueue(new MockResponse().setHeader("Content-Type", "audio/mpeg").setBody("ID3"));
        WebhookResponse r = client.fetch(new WebhookRequest(server.url("/a.mp3").toString(), HttpMethod.GET, Map.of()));
        assertEquals("audio/mpeg", r.contentType());
    }

    @Test
    void readTimeoutOverrideFailsFastWithoutRetryByDefault() {
        server.enqueue(xml(TWIML).setHeadersDelay(3, TimeUnit.SECONDS));
        server.enqueue(xml(TWIML));
        long t0 = System.nanoTime();
        WebhookException e = assertThrows(WebhookException.class, () -> client.fetch(
                new WebhookRequest(server.url("/slow").toString() + "#rt=200", HttpMethod.POST, params())));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(11205, e.errorCode());
        assertTrue(ms < 2000, "rt=200 should fail fast, took " + ms);
        assertEquals(1, server.getRequestCount(), "default rp=ct: a read timeout is not retried");
    }

    @Test
    void readTimeoutRetriedWhenPolicySaysSo() {
        for (int i = 0; i < 3; i++) server.enqueue(xml(TWIML).setHeadersDelay(2, TimeUnit.SECONDS));
        WebhookException e = assertThrows(WebhookException.class, () -> client.fetch(new WebhookRequest(
                server.url("/slow").toString() + "#rt=200&rc=2&rp=rt", HttpMethod.POST, params())));
        assertEquals(11205, e.errorCode());
        assertTrue(e.getMessage().contains("after 2 retries"), e.getMessage());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void serverErrorsRetriedWithinPolicy() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Content-Type", "text/plain"));
        server.enqueue(new MockResponse().setResponseCode(500).setHeader("Content-Type", "text/plain"));
        server.enqueue(xml(TWIML));
        WebhookResponse r = client.fetch(new WebhookRequest(
                server.url("/flaky").toString() + "#rc=2&rp=5xx,ct", HttpMethod.POST, params()));
        assertEquals(200, r.status());
        assertEquals(3, server.getRequestCount());
        RecordedRequest first = server.takeRequest();
        server.takeRequest();
        RecordedRequest third = server.takeRequest();
        assertEquals(first.getHeader("I-Twilio-Idempotency-Token"), third.getHeader("I-Twilio-Idempotency-Token"));
        assertTrue(validSignature(third, params()));
    }

    @Test
    void clientErrorsNotRetriedUnderFiveXxPolicy() {
        server.enqueue(new MockResponse().setResponseCode(404).setHeader("Content-Type", "text/plain"));
        server.enqueue(xml(TWIML));
        WebhookException e = assertThrows(WebhookException.class, () -> client.fetch(new WebhookRequest(
                server.url("/x").toString() + "#rc=3&rp=5xx", HttpMethod.POST, params())));
        assertEquals(11200, e.errorCode());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void totalTimeOverrideBoundsRetries() {
        for (int i = 0; i < 6; i++) server.enqueue(xml(TWIML).setHeadersDelay(2, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        WebhookException e = assertThrows(WebhookException.class, () -> client.fetch(new WebhookRequest(
                server.url("/slow").toString() + "#rt=300&tt=700&rc=5&rp=all", HttpMethod.POST, params())));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(11205, e.errorCode());
        assertTrue(ms < 1500, "tt=700 bounds the fetch, took " + ms);
        assertTrue(server.getRequestCount() <= 3, "requests: " + server.getRequestCount());
    }

    @Test
    void overrideParsing() {
        ConnectionOverrides d = ConnectionOverrides.defaults(5000, 15000);
        ConnectionOverrides o = ConnectionOverrides.parse("ct=1000&rt=2000&tt=3000&rc=2&rp=ct,5xx&e=dublin", d);
        assertEquals(1000, o.connectMs());
        assertEquals(2000, o.readMs());
        assertEquals(3000, o.totalMs());
        assertEquals(2, o.retries());
        assertEquals(java.util.EnumSet.of(ConnectionOverrides.RetryOn.CONNECT, ConnectionOverrides.RetryOn.HTTP_5XX),
                o.retryOn());
        ConnectionOverrides bad = ConnectionOverrides.parse("ct=50&rt=99999&tt=x&rc=6&rp=bogus", d);
        assertEquals(d, bad);
        assertEquals(java.util.EnumSet.allOf(ConnectionOverrides.RetryOn.class),
                ConnectionOverrides.parse("rp=all", d).retryOn());
    }

    @Test
    void cookiesReplayedWithinSessionOnly() throws Exception {
        server.enqueue(xml(TWIML).addHeader("Set-Cookie", "sess=abc; Path=/"));
        server.enqueue(xml(TWIML));
        server.enqueue(xml(TWIML));
        server.enqueue(xml(TWIML));
        String url = server.url("/voice").toString();

        WebhookClient.Session call1 = client.newSession();
        WebhookClient.Session call2 = client.newSession();
        call1.fetch(new WebhookRequest(url, HttpMethod.POST, params()));
        call1.fetch(new WebhookRequest(url, HttpMethod.POST, params()));
        call2.fetch(new WebhookRequest(url, HttpMethod.POST, params()));
        client.fetch(new WebhookRequest(url, HttpMethod.POST, params()));

        assertNull(server.takeRequest().getHeader("Cookie"));
        assertEquals("sess=abc", server.takeRequest().getHeader("Cookie"));
        assertNull(server.takeRequest().getHeader("Cookie"), "another call's session does not see the cookie");
        assertNull(server.takeRequest().getHeader("Cookie"), "session-less fetch sends no cookies");
        assertEquals(1, call1.cookieCount());
        assertEquals(0, call2.cookieCount());
    }

    @Test
    void anAppCannotGrowTheCookieJarWithoutBound() throws Exception {
        String url = server.url("/voice").toString();
        WebhookClient.Session call = client.newSession();
        for (int round = 0; round < 5; round++) {
            MockResponse r = xml(TWIML);
            for (int i = 0; i < 500; i++) r.addHeader("Set-Cookie", "c" + round + "_" + i + "=v; Path=/");
            r.addHeader("Set-Cookie", "huge=" + "x".repeat(5000) + "; Path=/");
            server.enqueue(r);
            call.fetch(new WebhookRequest(url, HttpMethod.POST, params()));
        }
        assertEquals(WebhookClient.MemoryCookieJar.MAX_PER_DOMAIN, call.cookieCount(), "the newest kept");
        server.enqueue(xml(TWIML));
        call.fetch(new WebhookRequest(url, HttpMethod.POST, params()));
        for (int i = 0; i < 5; i++) server.takeRequest();
        String sent = server.takeRequest().getHeader("Cookie");
        assertTrue(sent.contains("c4_499=v"), "the newest are sent");
        assertFalse(sent.contains("c0_0="), "the oldest went");
        assertFalse(sent.contains("huge="), "an oversized cookie is ignored");
    }

    @Test
    void cookiesSetOnRedirectAreReplayedOnNextHop() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/next")
                .addHeader("Set-Cookie", "hop=1"));
        server.enqueue(xml(TWIML));
        client.newSession().fetch(new WebhookRequest(server.url("/first").toString(), HttpMethod.GET, Map.of()));
        server.takeRequest();
        assertEquals("hop=1", server.takeRequest().getHeader("Cookie"));
    }

    @Test
    void connectionsAreReused() throws Exception {
        for (int i = 0; i < 3; i++) server.enqueue(xml(TWIML));
        for (int i = 0; i < 3; i++) {
            client.fetch(new WebhookRequest(server.url("/v").toString(), HttpMethod.POST, params()));
        }
        server.takeRequest();
        server.takeRequest();
        assertEquals(2, server.takeRequest().getSequenceNumber(), "third request on the same keep-alive connection");
    }

    @Test
    void requestValidation() {
        // a URL from TwiML never throws in a verb: it fails when sent
        for (String bad : List.of("file:///x.xml", "/relative", "refused:file:///etc/passwd", "ftp://h/x")) {
            WebhookRequest r = new WebhookRequest(bad, HttpMethod.GET, null);
            assertFalse(r.isWeb(), bad);
            WebhookException e = assertThrows(WebhookException.class, () -> client.fetch(r));
            assertEquals(WebhookException.INVALID_URL, e.errorCode(), bad);
        }
        WebhookRequest r = new WebhookRequest("https://h/p", HttpMethod.GET, null);
        assertTrue(r.params().isEmpty());
        assertTrue(r.isWeb());
    }
}
