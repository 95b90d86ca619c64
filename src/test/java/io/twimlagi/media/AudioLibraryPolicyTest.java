package io.twimlagi.media;

import io.twimlagi.webhook.OutboundGuard;
import io.twimlagi.webhook.OwnAddresses;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code <Play>} may fetch: local files, our own server and recordings, redirects. */
class AudioLibraryPolicyTest {
    static final String ACCOUNT = "AC" + "01".repeat(16);
    static final String TOKEN = "t".repeat(32);
    static final String SID = "RE" + "ab".repeat(16);

    @TempDir
    Path dir;
    MockWebServer server;
    MediaStore store;
    final byte[] wav = ToneTts.wav(8000, 1, 0.5, 440);

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        store = new MediaStore(dir.resolve("media"), "/ast");
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    MockResponse audio() {
        return new MockResponse().setHeader("Content-Type", "audio/wav").setBody(new Buffer().write(wav));
    }

    String publicUrl() {
        return server.url("/twiml").toString();
    }

    AudioLibrary library(Optional<Path> localRecording) {
        return new AudioLibrary(store, MediaCache.unbounded(),
                new OwnRecordings(publicUrl(), ACCOUNT, TOKEN, sid -> localRecording), OutboundGuard.linkLocalOnly());
    }

    @Test
    void theAccountsCredentialsGoToOurRecordingPathsOnly() throws Exception {
        AudioLibrary lib = library(Optional.empty());
        for (String path : List.of("/metrics", "/Recordings/" + SID + "/../../metrics", "/Recordings/x.wav")) {
            server.enqueue(audio());
            lib.audio(publicUrl() + path);
            RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
            assertNull(r.getHeader("Authorization"), path + " reached as " + r.getPath());
        }
        server.enqueue(audio());
        lib.audio(publicUrl() + "/Recordings/" + SID + ".wav");
        assertEquals(okhttp3.Credentials.basic(ACCOUNT, TOKEN),
                server.takeRequest(5, TimeUnit.SECONDS).getHeader("Authorization"));
    }

    @Test
    void aRecordingKeptHereIsPlayedFromDiskWithoutARequest() throws Exception {
        Path kept = Files.write(dir.resolve(SID + ".wav"), wav);
        String name = library(Optional.of(kept)).audio(publicUrl() + "/Recordings/" + SID);
        assertTrue(name.startsWith("/ast/play/"), name);
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void aRedirectFollowedForPlayCannotReachOurOwnListener() throws Exception {
        try (MockWebServer own = new MockWebServer()) {
            own.start();
            own.enqueue(audio());
            OutboundGuard guard = new OutboundGuard(new OwnAddresses(List.of(
                    new InetSocketAddress("0.0.0.0", own.getPort()))));
            AudioLibrary lib = new AudioLibrary(store, MediaCache.unbounded(), null, guard);
            server.enqueue(new MockResponse().setResponseCode(302)
                    .setHeader("Location", "http://localhost:" + own.getPort() + "/Recordings/" + SID));
            MediaException e = assertThrows(MediaException.class, () -> lib.audio(server.url("/a.wav").toString()));
            assertEquals(11200, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("own listener"), e.getMessage());
            assertEquals(0, own.getRequestCount());
            assertThrows(MediaException.class, () -> lib.audio("http://169.254.169.254/latest/a.wav"));
        }
    }

    @Test
    void localFilesOnlyBelowTheGivenRootAndACachedCopyIsNoPermission() throws Exception {
        Path root = Files.createDirectories(dir.resolve("apps"));
        Path tone = Files.write(root.resolve("tone.wav"), wav);
        Path secret = Files.write(dir.resolve("secret.wav"), wav);
        AudioLibrary lib = library(Optional.empty());
        String url = tone.toUri().toString();
        assertTrue(lib.audio(url, root).startsWith("/ast/play/"));
        assertEquals(13420, assertThrows(MediaException.class, () -> lib.audio(url)).code(),
                "the copy cached for one domain is not another's permission");
        assertEquals(13420, assertThrows(MediaException.class,
                () -> lib.audio(secret.toUri().toString(), root)).code());
        assertEquals(13420, assertThrows(MediaException.class,
                () -> lib.audio(root.toUri() + "../secret.wav", root)).code());
        assertEquals(13420, assertThrows(MediaException.class,
                () -> lib.audio("refused:" + url, root)).code(), "a URL its document may not name");
        assertEquals(13420, assertThrows(MediaException.class, () -> lib.audio("jar:" + url + "!/x")).code());
    }
}
