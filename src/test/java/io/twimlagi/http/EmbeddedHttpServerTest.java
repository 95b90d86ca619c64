package io.twimlagi.http;

import io.twimlagi.metrics.Metrics;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.recording.TestWavs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedHttpServerTest {
    static final String AC = "AC" + "0123456789abcdef".repeat(2);
    static final String TOKEN = "s3cret-auth-token";

    @TempDir
    Path media;

    RecordingStore store;
    EmbeddedHttpServer server;
    String base;
    String sid;
    Path wav;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        store = new RecordingStore(media, "/ast");
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), TestWavs.concat(TestWavs.tone(1.5, 440), TestWavs.silence(0.5, 1)));
        store.finish(r, true);
        sid = r.sid();
        wav = store.wav(sid).orElseThrow();
        server = new EmbeddedHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> 3, store, AC, TOKEN);
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> get(String path, String authorization) throws Exception {
        return send("GET", path, authorization);
    }

    HttpResponse<byte[]> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) b.header("Authorization", authorization);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> authed(String path) throws Exception {
        return get(path, basic(AC, TOKEN));
    }

    @Test
    void wavWithAndWithoutExtension() throws Exception {
        byte[] expected = Files.readAllBytes(wav);
        for (String path : new String[] {"/Recordings/" + sid, "/Recordings/" + sid + ".wav",
                "/2010-04-01/Accounts/" + AC + "/Recordings/" + sid,
                "/2010-04-01/Accounts/" + AC + "/Recordings/" + sid + ".wav",
                "/Recordings/" + sid + "?foo=bar"}) {
            HttpResponse<byte[]> r = authed(path);
            assertEquals(200, r.statusCode(), path);
            assertEquals("audio/x-wav", r.headers().firstValue("Content-Type").orElse(""), path);
            assertEquals(String.valueOf(expected.length), r.headers().firstValue("Content-Length").orElse(""), path);
            assertArrayEquals(expected, r.body(), path);
        }
    }

    @Test
    void mp3() throws Exception {
        assertTrue(lameInstalled(), "lame not installed: scripts/install-deps installs it");
        for (String path : new String[] {"/Recordings/" + sid + ".mp3",
                "/2010-04-01/Accounts/" + AC + "/Recordings/" + sid + ".mp3"}) {
            HttpResponse<byte[]> r = authed(path);
            assertEquals(200, r.statusCode(), path);
            assertEquals("audio/mpeg", r.headers().firstValue("Content-Type").orElse(""));
            byte[] b = r.body();
            assertEquals(String.valueOf(b.length), r.headers().firstValue("Content-Length").orElse(""));
            assertArrayEquals(Files.readAllBytes(store.mp3(sid).orElseThrow()), b);
            boolean id3 = b[0] == 'I' && b[1] == 'D' && b[2] == '3';
            boolean sync = (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0;
            assertTrue(id3 || sync, "ID3 tag or MPEG frame sync");
        }
    }

    @Test
    void mp3WithoutLameIs404WithAReason() throws Exception {
        server.close();
        RecordingStore noLame = new RecordingStore(media, "/ast", "twiml-agi-no-such-lame");
        server = new EmbeddedHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> 0, noLame, AC, TOKEN);
        base = "http://127.0.0.1:" + server.address().getPort();
        HttpResponse<byte[]> r = authed("/Recordings/" + sid + ".mp3");
        assertEquals(404, r.statusCode());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("lame"), "says why");
        assertEquals(200, authed("/Recordings/" + sid).statusCode(), "the WAV is still served");
    }

    @Test
    void missingOrWrongCredentialsAre401() throws Exception {
        String[] wrong = {null, basic(AC, "wrong"), basic(AC, TOKEN + "x"), basic(AC, ""),
                basic("AC" + "f".repeat(32), TOKEN), basic(AC.toUpperCase(), TOKEN), "Basic !!!not-base64",
                "Bearer " + TOKEN, "Basic", basic(AC + ":" + TOKEN, "")};
        for (String auth : wrong) {
            for (String path : new String[] {"/Recordings/" + sid, "/Recordings/" + sid + ".mp3",
                    "/Recordings/RE" + "0".repeat(32)}) {
                HttpResponse<byte[]> r = get(path, auth);
                assertEquals(401, r.statusCode(), auth + " " + path);
                assertEquals("Basic realm=\"twiml-agi\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
                assertTrue(new String(r.body(), StandardCharsets.UTF_8).indexOf("RIFF") < 0);
            }
        }
        assertEquals(200, get("/Recordings/" + sid, "basic " + Base64.getEncoder()
                .encodeToString((AC + ":" + TOKEN).getBytes(StandardCharsets.UTF_8))).statusCode(),
                "the scheme is case-insensitive");
    }

    @Test
    void unknownSidsAndOtherAccountsAre404() throws Exception {
        String other = "AC" + "f".repeat(32);
        for (String path : new String[] {"/Recordings/RE" + "0".repeat(32), "/Recordings/RE" + "0".repeat(32) + ".mp3",
                "/Recordings/RE123", "/Recordings/" + sid + ".ogg", "/Recordings/" + sid + ".json",
                "/Recordings/" + sid + "/", "/Recordings/", "/2010-04-01/Accounts/" + other + "/Recordings/" + sid,
                "/2010-04-01/Accounts/" + AC + "/Recordings/RE123", "/2010-04-01/", "/Recordings/partial/" + sid,
                "/Recordings/" + sid.toUpperCase().replace("RE", "re")}) {
            HttpResponse<byte[]> r = authed(path);
            assertEquals(404, r.statusCode(), path);
        }
    }

    @Test
    void traversalAttemptsNeverReachTheFileSystem() throws Exception {
        Files.writeString(media.resolve("secret.wav"), "RIFF secret");
        String auth = basic(AC, TOKEN);
        String[] paths = {"/Recordings/../secret.wav", "/Recordings/../../etc/passwd", "/Recordings/..%2Fsecret",
                "/Recordings/%2e%2e/secret", "/Recordings/" + sid + "/../../secret.wav",
                "/Recordings/partial%2F" + sid, "/Recordings/RE" + "0".repeat(30) + "%2e%2e",
                "/Recordings//etc/passwd", "/Recordings/" + sid + "%00.wav"};
        for (String path : paths) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
                    + "\r\nConnection: close\r\n\r\n");
            String status = response.substring(0, response.indexOf("\r\n"));
            assertTrue(status.matches("HTTP/1\\.1 (400|404) .*"), path + " -> " + status);
            assertTrue(!response.contains("secret") && !response.contains("root:"), path);
        }
    }

    @Test
    void aRecordingInProgressIsNotServed() throws Exception {
        RecordingStore.Recording r = store.create();
        TestWavs.write(r.wavFile(), TestWavs.tone(1.0, 440));
        assertEquals(404, authed("/Recordings/" + r.sid()).statusCode());
        assertEquals(404, authed("/Recordings/" + r.sid() + ".mp3").statusCode());
        store.finish(r, false);
        assertEquals(200, authed("/Recordings/" + r.sid()).statusCode());
    }

    @Test
    void headHasLengthButNoBody() throws Exception {
        HttpResponse<byte[]> r = send("HEAD", "/Recordings/" + sid, basic(AC, TOKEN));
        assertEquals(200, r.statusCode());
        assertEquals("audio/x-wav", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(String.valueOf(Files.size(wav)), r.headers().firstValue("Content-Length").orElse(""));
        assertEquals(0, r.body().length);
        assertEquals(401, send("HEAD", "/Recordings/" + sid, null).statusCode());
        assertEquals(404, send("HEAD", "/Recordings/RE" + "0".repeat(32), basic(AC, TOKEN)).statusCode());
        String rawHead = raw("HEAD /Recordings/" + sid + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + basic(AC, TOKEN) + "\r\nConnection: close\r\n\r\n");
        assertTrue(rawHead.endsWith("\r\n\r\n"), "nothing after the headers: " + rawHead);
    }

    @Test
    void otherMethodsAre405() throws Exception {
        for (String m : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<byte[]> r = send(m, "/Recordings/" + sid, basic(AC, TOKEN));
            assertEquals(405, r.statusCode(), m);
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
            assertTrue(Files.exists(wav), "nothing deleted");
        }
        assertEquals(405, send("POST", "/health", null).statusCode());
    }

    @Test
    void healthIsUnchanged() throws Exception {
        HttpResponse<byte[]> r = get("/health", null);
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"status\":\"ok\",\"activeCalls\":3}\n", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(200, send("HEAD", "/health", null).statusCode());
        assertEquals(404, get("/nothing", null).statusCode());
    }

    @Test
    void metricsServesOurFamiliesBesideTheJvmAndProcessOnes() throws Exception {
        assertEquals(404, get("/metrics", null).statusCode(), "not before serveMetrics");
        Metrics metrics = new Metrics(() -> 3);
        server.serveMetrics(metrics);
        metrics.callEnded(486);
        metrics.webhook(30, false);
        HttpResponse<byte[]> r = get("/metrics", null);
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        String text = new String(r.body(), StandardCharsets.UTF_8);
        for (String line : new String[] {"twiml_agi_active_calls 3.0", "twiml_agi_calls_total{sip_code=\"486\"} 1.0",
                "twiml_agi_webhook_duration_seconds_bucket{le=\"0.025\"} 0",
                "twiml_agi_webhook_duration_seconds_bucket{le=\"0.05\"} 1", "twiml_agi_webhook_duration_seconds_count 1",
                "twiml_agi_webhook_errors_total 1.0"}) {
            assertTrue(text.contains("\n" + line + "\n"), line + " missing:\n" + text);
        }
        for (String family : new String[] {"jvm_memory_used_bytes{area=\"heap\"} ", "jvm_threads_current ",
                "jvm_gc_collection_seconds_sum{gc=", "process_cpu_seconds_total ", "process_open_fds ",
                "process_max_fds ", "process_resident_memory_bytes ", "process_start_time_seconds "}) {
            assertTrue(text.contains("\n" + family), family + " missing:\n" + text);
        }
        HttpResponse<byte[]> head = send("HEAD", "/metrics", null);
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(405, send("POST", "/metrics", null).statusCode());
    }

    @Test
    void metricsAnswersOpenMetricsToAScraperThatAsksForIt() throws Exception {
        server.serveMetrics(new Metrics(() -> 0));
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.3")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
                r.headers().firstValue("Content-Type").orElse(""));
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\ntwiml_agi_active_calls 0.0\n"), text);
        assertTrue(text.endsWith("# EOF\n"), text);
    }

    @Test
    void twoServersInOneJvmEachServeTheirOwnCounts() throws Exception {
        Metrics first = new Metrics(() -> 1);
        server.serveMetrics(first);
        first.callEnded(603);
        try (EmbeddedHttpServer other = new EmbeddedHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> 2)) {
            other.serveMetrics(new Metrics(() -> 2));
            String otherText = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + other.address().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            String text = new String(get("/metrics", null).body(), StandardCharsets.UTF_8);
            assertTrue(text.contains("\ntwiml_agi_calls_total{sip_code=\"603\"} 1.0\n"), text);
            assertTrue(otherText.contains("\ntwiml_agi_active_calls 2.0\n"), otherText);
            assertFalse(otherText.contains("sip_code=\"603\""), otherText);
            assertTrue(otherText.contains("\nprocess_open_fds "), otherText);
        }
    }

    @Test
    void withoutARecordingStoreRecordingsAre404() throws Exception {
        server.close();
        server = new EmbeddedHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> 1);
        base = "http://127.0.0.1:" + server.address().getPort();
        assertEquals(404, authed("/Recordings/" + sid).statusCode());
        assertEquals(200, get("/health", null).statusCode());
    }

    @Test
    void concurrentDownloadsAreServed() throws Exception {
        byte[] expected = Files.readAllBytes(wav);
        var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>>();
        for (int i = 0; i < 20; i++) {
            futures.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/Recordings/" + sid))
                    .header("Authorization", basic(AC, TOKEN)).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (var f : futures) assertArrayEquals(expected, f.get().body());
    }

    String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static boolean lameInstalled() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "lame"))) return true;
        }
        return false;
    }
}
