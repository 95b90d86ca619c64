package io.twimlagi.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing by pattern, form bodies, errors and request limits: what the REST API's routes build on. */
class HttpListenerTest {
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Routes routes = new Routes();
    HttpListener listener;

    @AfterEach
    void stop() {
        if (listener != null) listener.close();
    }

    void start() throws IOException {
        listener = new HttpListener("test", new InetSocketAddress("127.0.0.1", 0),
                new HttpLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(5), 16 * 1024, 100,
                        Duration.ofSeconds(1), 1024, 8), routes);
    }

    HttpResponse<String> send(String method, String path, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.address().getPort()
                + path)).timeout(Duration.ofSeconds(10));
        b.method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) b.header("Content-Type", "application/x-www-form-urlencoded");
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void patternsPickTheRouteAndNameItsParameters() throws Exception {
        routes.add("/2010-04-01/Accounts/{AccountSid}/Calls.json", x -> x.sendJson(200, "list " + x.pathParam("AccountSid")));
        routes.add("/2010-04-01/Accounts/{AccountSid}/Calls/{file}", x -> x.sendJson(200, "call " + x.pathParam("file")));
        routes.add("/2010-04-01/*", x -> x.sendText(404, "api prefix"));
        routes.add("/health", x -> x.sendText(200, "exact"));
        start();
        assertEquals("list AC1", send("GET", "/2010-04-01/Accounts/AC1/Calls.json", null).body());
        assertEquals("call CA2.json", send("GET", "/2010-04-01/Accounts/AC1/Calls/CA2.json", null).body());
        assertEquals("api prefix", send("GET", "/2010-04-01/Accounts/AC1/Other.json", null).body());
        assertEquals("exact", send("GET", "/health", null).body());
        HttpResponse<String> none = send("GET", "/nothing", null);
        assertEquals(404, none.statusCode());
        assertEquals("not found\n", none.body());
        routes.add("/late", x -> x.sendText(200, "added while running"));
        assertEquals("added while running", send("GET", "/late", null).body());
        assertThrows(IllegalArgumentException.class, () -> routes.add("/late", x -> { }));
    }

    @Test
    void formParametersComeFromTheBodyOrTheQueryInOrderAndRepeatable() throws Exception {
        routes.add("/form", x -> x.sendText(200, x.form().toString()));
        start();
        Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
        expected.put("To", List.of("sip:a@b.example.com?X-A=1"));
        expected.put("StatusCallbackEvent", List.of("initiated", "answered"));
        expected.put("Twiml", List.of("<Response><Say>é & ü</Say></Response>"));
        String form = "To=sip%3Aa%40b.example.com%3FX-A%3D1&StatusCallbackEvent=initiated&StatusCallbackEvent=answered"
                + "&Twiml=%3CResponse%3E%3CSay%3E%C3%A9+%26+%C3%BC%3C%2FSay%3E%3C%2FResponse%3E";
        assertEquals(expected.toString(), send("POST", "/form", form).body());
        assertEquals(expected.toString(), send("GET", "/form?" + form, null).body());
        HttpResponse<String> bad = send("POST", "/form", "a=%zz");
        assertEquals(400, bad.statusCode());
        assertEquals("malformed form encoding\n", bad.body());
    }

    @Test
    void routeErrorsBecomeAnswersNeverAStackTrace() throws Exception {
        routes.add("/teapot", x -> {
            throw new HttpError(418, "short and stout");
        });
        routes.add("/broken", x -> {
            throw new IllegalStateException("internal detail /secret/path");
        });
        routes.add("/silent", x -> { });
        start();
        HttpResponse<String> teapot = send("GET", "/teapot", null);
        assertEquals(418, teapot.statusCode());
        assertEquals("short and stout\n", teapot.body());
        for (String path : new String[] {"/broken", "/silent"}) {
            HttpResponse<String> r = send("GET", path, null);
            assertEquals(500, r.statusCode(), path);
            assertEquals("internal error\n", r.body(), path);
        }
        assertEquals(404, send("GET", "/nothing", null).statusCode(), "the listener goes on");
    }

    @Test
    void oversizedBodiesAre413AndOversizedHeaders431() throws Exception {
        routes.add("/form", x -> x.sendText(200, "read " + x.body().length));
        start();
        assertEquals("read 1024", send("POST", "/form", "a".repeat(1024)).body());
        HttpResponse<String> big = send("POST", "/form", "a".repeat(1025));
        assertEquals(413, big.statusCode());
        try (Socket s = new Socket("127.0.0.1", listener.address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /form HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readNBytes(200), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 431 "), response);
            assertFalse(response.contains("bbbb"), response);
        }
    }
}
