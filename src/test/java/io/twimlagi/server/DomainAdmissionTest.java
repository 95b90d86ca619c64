package io.twimlagi.server;

import io.twimlagi.agi.FakeAsterisk;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.media.ToneTts;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-domain admission through the whole server (issue 12 item 5): the caller names the domain in its
 * Request-URI, so a domain with {@code acl} or {@code endpoints} rejects a call that fails them with 403 before any
 * webhook (no voice_url fetch, no status callback), and admits one that passes.
 */
class DomainAdmissionTest {
    static final String SEP = "\u001e|\u001e";
    static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Asterisk's answer to the one INVITE read: Request-URI, From, Call-ID, source, no X- headers, endpoint. */
    static FakeAsterisk call(String requestUri, String source, String endpoint) {
        String invite = "200 result=1 (" + requestUri + SEP + "<sip:alice@client.example.com>" + SEP
                + "c-" + endpoint + "@x" + SEP + source + ":5060" + SEP + SEP + SEP + endpoint
                + SEP.repeat(8) + ")";
        return new FakeAsterisk(cmd -> {
            if (cmd.startsWith("GET FULL VARIABLE \"${CHANNEL(pjsip,request_uri)}")) return invite;
            if (cmd.startsWith("EXEC \"PJSIPHangup\"")) return "200 result=-1\nHANGUP";
            return "200 result=0";
        });
    }

    @Test
    void aCallFailingTheDomainsAclOrEndpointsGets403AndNoWebhook() throws Exception {
        List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
        try (MockWebServer app = new MockWebServer()) {
            app.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    requests.add(r);
                    if (r.getPath().startsWith("/status")) return new MockResponse().setResponseCode(204);
                    return new MockResponse().addHeader("Content-Type", "text/xml")
                            .setBody("<Response><Reject reason=\"busy\"/></Response>");
                }
            });
            app.start();
            int agiPort = freePort();
            int httpPort = freePort();
            Path conf = Files.writeString(dir.resolve("t.conf"), """
                    [general]
                    agi_bind = 127.0.0.1:%d
                    http_bind = 127.0.0.1:%d
                    account_sid = %s
                    auth_token = token
                    voice_url = %s
                    status_callback = %s
                    status_callback_event = initiated ringing answered completed
                    media_dir = %s
                    sip_capture = off
                    [acl.example.com]
                    type = domain
                    acl = 192.0.2.0/24
                    [ep.example.com]
                    type = domain
                    endpoints = alice
                    """.formatted(agiPort, httpPort, ACCOUNT, app.url("/voice"), app.url("/status"),
                    dir.resolve("media")));
            try (TwimlAgiServer server = TwimlAgiServer.start(ConfigLoader.load(conf), new ToneTts())) {
                InetSocketAddress agi = new InetSocketAddress("127.0.0.1", agiPort);
                List<String> outsideAcl = call("sip:1@acl.example.com", "127.0.0.1", "alice").run(agi);
                assertEquals("EXEC \"PJSIPHangup\" \"403\"", outsideAcl.get(outsideAcl.size() - 1));
                assertEquals(2, outsideAcl.size(), "the INVITE read, then 403: " + outsideAcl);
                List<String> wrongEndpoint = call("sip:2@ep.example.com", "127.0.0.1", "sipp").run(agi);
                assertEquals("EXEC \"PJSIPHangup\" \"403\"", wrongEndpoint.get(wrongEndpoint.size() - 1));
                assertTrue(requests.isEmpty(), "no webhook for a refused call: " + requests);

                // an admitted call runs its app: the voice webhook, then its status callbacks up to completed
                List<String> admitted = call("sip:3@ep.example.com", "127.0.0.1", "alice").run(agi);
                assertEquals("EXEC \"PJSIPHangup\" \"486\"", admitted.get(admitted.size() - 1));
                RecordedRequest voice = app.takeRequest(5, TimeUnit.SECONDS);
                assertNotNull(voice);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (requests.stream().noneMatch(r -> r.getBody().clone().readUtf8().contains("CallStatus=busy"))
                        && System.nanoTime() < deadline) {
                    app.takeRequest(100, TimeUnit.MILLISECONDS); // wait for the terminal status callback
                }
                for (RecordedRequest r : requests) {
                    String body = r.getBody().clone().readUtf8();
                    assertTrue(body.contains("ep.example.com"), "only the admitted call's requests: " + body);
                    assertFalse(body.contains("acl.example.com"), body);
                }
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("twiml_agi_calls_total{sip_code=\"403\"} 2"), metrics);
            }
        }
    }
}
