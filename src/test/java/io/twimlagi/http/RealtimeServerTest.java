package io.twimlagi.http;

import io.twimlagi.config.Realtime;
import io.twimlagi.media.HoldMusicClasses;
import io.twimlagi.sip.CredentialEndpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asterisk's realtime lookups: only with the secret, only on realtime_bind. */
class RealtimeServerTest {
    static final String SECRET = "rt-secret-0123456789abcdef";

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final CredentialEndpoints sip = new CredentialEndpoints();
    final HoldMusicClasses moh = new HoldMusicClasses();
    RealtimeServer realtime;
    EmbeddedHttpServer http;
    String authId;

    @BeforeEach
    void start() throws Exception {
        moh.register(new HoldMusicClasses.HoldClass("twiml-wait-ab", "/var/lib/twiml-agi/wait/ab", true, null));
        authId = sip.endpointFor("bob", "s3cret-pass", Map.of("allow", "ulaw"));
        realtime = new RealtimeServer(new Realtime(new InetSocketAddress("127.0.0.1", 0), SECRET), moh, sip);
        http = new EmbeddedHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> 0);
    }

    @AfterEach
    void stop() {
        realtime.close();
        http.close();
    }

    HttpResponse<String> post(InetSocketAddress to, String path, String form) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.getPort() + path))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(form))
                        .header("Content-Type", "application/x-www-form-urlencoded").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String lookup(String path, String form) throws Exception {
        HttpResponse<String> r = post(realtime.address(), "/realtime/" + SECRET + path, form);
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    void withTheSecretKnownObjectsAreAnsweredAndNothingElse() throws Exception {
        assertEquals("name=twiml-wait-ab&mode=files&directory=%2Fvar%2Flib%2Ftwiml-agi%2Fwait%2Fab&sort=alpha"
                + "&loop_last=yes\n", lookup("/musiconhold/single", "name=twiml-wait-ab"));
        assertTrue(lookup("/ps_auths/single", "id=" + authId).contains("password=s3cret-pass"));
        assertTrue(lookup("/ps_endpoints/single", "id=" + authId).contains("outbound_auth=" + authId));
        assertEquals("", lookup("/ps_endpoints/single", "id=trunk"));
        assertEquals("", lookup("/ps_endpoints/multi", "id%20LIKE=%25"));
        assertEquals("", lookup("/musiconhold/single", "name=default"));
    }

    @Test
    void withoutTheRightSecretNothingIsAnswered() throws Exception {
        String[] paths = {"/realtime/ps_auths/single", "/realtime/" + SECRET.replace('0', '1') + "/ps_auths/single",
                "/realtime/" + SECRET.substring(1) + "/ps_auths/single", "/realtime/" + SECRET + "x/ps_auths/single",
                "/realtime//ps_auths/single", "/realtime/" + SECRET.toUpperCase() + "/ps_auths/single",
                "/realtime/" + SECRET, "/" + SECRET + "/ps_auths/single", "/ps_auths/single"};
        for (String path : paths) {
            HttpResponse<String> r = post(realtime.address(), path, "id=" + authId);
            // Jetty itself answers 400 to an empty path segment
            assertTrue(r.statusCode() == 404 || r.statusCode() == 400 && path.contains("//"), path + " " + r.statusCode());
            assertFalse(r.body().contains("s3cret-pass") || r.body().contains(SECRET), path + ": " + r.body());
        }
    }

    @Test
    void httpBindServesNoRealtimeLookup() throws Exception {
        for (String path : new String[] {"/realtime/ps_auths/single", "/realtime/" + SECRET + "/ps_auths/single",
                "/realtime/musiconhold/single"}) {
            HttpResponse<String> r = post(http.address(), path, "id=" + authId);
            assertEquals(404, r.statusCode(), path);
            assertFalse(r.body().contains("s3cret-pass") || r.body().contains("twiml-wait"), path);
        }
        assertEquals(200, post(realtime.address(), "/realtime/" + SECRET + "/ps_auths/single", "id=" + authId)
                .statusCode(), "the same lookup on realtime_bind");
    }

    @Test
    void onlyALoopbackAddressIsAccepted() throws Exception {
        InetSocketAddress everywhere = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0);
        assertThrows(IllegalArgumentException.class,
                () -> new RealtimeServer(new Realtime(everywhere, SECRET), moh, sip));
        assertThrows(IllegalArgumentException.class, () -> new Realtime(everywhere, "short"));
    }
}
