package io.twimlagi.media;

import io.twimlagi.webhook.OutboundGuard;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioLibraryTest {
    @TempDir
    Path dir;
    MockWebServer server;
    MediaStore store;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        store = new MediaStore(dir, "/ast");
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private static MockResponse audio(String type, byte[] body) {
        return new MockResponse().setHeader("Content-Type", type).setBody(new Buffer().write(body));
    }

    private String url(String path) {
        return server.url(path).toString();
    }

    /** The converted file behind an Asterisk name, checked to be 8 kHz mono 16-bit; returns its samples. */
    private short[] converted(String asteriskName) throws Exception {
        assertTrue(asteriskName.startsWith("/ast/play/"), asteriskName);
        Path f = dir.resolve(asteriskName.substring("/ast/".length()) + ".wav");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(f.toFile())) {
            AudioFormat fmt = in.getFormat();
            assertEquals(8000f, fmt.getSampleRate());
            assertEquals(1, fmt.getChannels());
            assertEquals(16, fmt.getSampleSizeInBits());
            byte[] b = in.readAllBytes();
            short[] s = new short[b.length / 2];
            for (int i = 0; i < s.length; i++) s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
            return s;
        }
    }

    private Path hostFile(String asteriskName) {
        return dir.resolve(asteriskName.substring("/ast/".length()) + ".wav");
    }

    @Test
    void concurrentCallsForTheSameUrlDownloadOnce() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        byte[] mp3 = AudioConverterTest.resource("tone-44k-stereo-96k.mp3");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                hits.incrementAndGet();
                return audio("audio/mpeg", mp3).setHeader("Cache-Control", "max-age=300")
                        .setHeadersDelay(300, TimeUnit.MILLISECONDS);
            }
        });
        AudioLibrary lib = new AudioLibrary(store, new MediaCache(store, 1 << 20));
        int n = 12;
        CyclicBarrier go = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return lib.audio(url("/hello.mp3"));
            }));
        }
        HashSet<String> names = new HashSet<>();
        for (Future<String> f : results) names.add(f.get(20, TimeUnit.SECONDS));
        pool.shutdown();
        assertEquals(1, names.size());
        assertEquals(1, hits.get(), "one download for all the calls");
        assertEquals(lib.audio(url("/hello.mp3")), names.iterator().next());
        assertEquals(1, hits.get(), "fresh per max-age: no new request");
        assertTrue(AudioConverterTest.rms(converted(names.iterator().next()), 2000, 6000) > 5000);
        assertNull(server.takeRequest().getHeader("X-Twilio-Signature"));
    }

    @Test
    void aPlayUrlsUserAndPasswordAnswerABasicChallengeAsTwilioDoes() throws Exception {
        byte[] wav = ToneTts.wav(8000, 1, 0.5, 440);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (!"Basic YXBwOnMzY3JldA==".equals(r.getHeader("Authorization"))) {
                    return new MockResponse().setResponseCode(401).setHeader("WWW-Authenticate", "Basic realm=\"a\"");
                }
                return audio("audio/wav", wav);
            }
        });
        AudioLibrary lib = new AudioLibrary(store, new MediaCache(store, 1_000_000));
        String url = server.url("/secret.wav").newBuilder().username("app").password("s3cret").build().toString();
        String name = lib.audio(url);
        assertTrue(Files.exists(hostFile(name)), "downloaded with the URL's credentials");
        assertNull(server.takeRequest().getHeader("Authorization"), "the first request goes without them");
        assertEquals("Basic YXBwOnMzY3JldA==", server.takeRequest().getHeader("Authorization"));
    }

    @Test
    void evictedCopyIsFetchedAgain() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        byte[] wav = ToneTts.wav(8000, 1, 0.5, 440);   // 8044 bytes converted
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                hits.incrementAndGet();
                if (r.getHeader("If-None-Match") != null) return new MockResponse().setResponseCode(304);
                return audio("audio/wav", wav).setHeader("ETag", "\"v1\"").setHeader("Cache-Control", "max-age=300");
            }
        });
        MediaCache cache = new MediaCache(store, 10_000);   // room for one
        AudioLibrary lib = new AudioLibrary(store, cache);
        String a = lib.audio(url("/a.wav"));
        assertEquals(1, hits.get());
        String b = lib.audio(url("/b.wav"));
        assertEquals(2, hits.get());
        assertFalse(Files.exists(hostFile(a)), "a evicted for b");
        assertEquals(a, lib.audio(url("/a.wav")));         // fresh in memory, but gone on disk: fetched again
        assertEquals(3, hits.get());
        assertTrue(Files.exists(hostFile(a)));
        assertFalse(Files.exists(hostFile(b)));
        server.takeRequest();
        server.takeRequest();
        assertNull(server.takeRequest().getHeader("If-None-Match"), "no copy left: an unconditional request");
        assertTrue(cache.totalBytes() <= 10_000);
    }

    @Test
    void evictedFilesLeaveTheUrlIndex() throws Exception {
        byte[] wav = ToneTts.wav(8000, 1, 0.5, 440);   // 8044 bytes converted
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return audio("audio/wav", wav).setHeader("Cache-Control", "max-age=300");
            }
        });
        MediaCache cache = new MediaCache(store, 10_000);   // room for one
        AudioLibrary lib = new AudioLibrary(store, cache);
        for (int i = 0; i < 20; i++) lib.audio(url("/clip" + i + ".wav"));
        assertEquals(1, cache.files().size());
        assertEquals(1, lib.indexed(), "only the file still cached is indexed");
        try (Stream<Path> files = Files.list(dir.resolve("play"))) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void callsBeyondTheConversionSlotsWaitForATurn() throws Exception {
        byte[] wav = ToneTts.wav(16000, 2, 1.0, 440);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return audio("audio/wav", wav);
            }
        });
        AudioLibrary lib = new AudioLibrary(store, new MediaCache(store, 1 << 20), AudioLibrary.MAX_BYTES, null,
                OutboundGuard.linkLocalOnly(), 1);
        int n = 6;
        CyclicBarrier go = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = "/wait" + i + ".wav";
            results.add(pool.submit(() -> {
                go.await();
                return lib.audio(url(path));
            }));
        }
        for (Future<String> f : results) assertEquals(8000, converted(f.get(20, TimeUnit.SECONDS)).length);
        pool.shutdown();
    }

    @Test
    void staleCopyIsRevalidatedAnd304KeepsIt() throws Exception {
        byte[] wav = ToneTts.wav(16000, 1, 0.25, 440);
        server.enqueue(audio("audio/x-wav", wav).setHeader("ETag", "\"v1\"").setHeader("Cache-Control", "no-cache"));
        server.enqueue(new MockResponse().setResponseCode(304));
        AudioLibrary lib = new AudioLibrary(store, new MediaCache(store, 1 << 20));
        String first = lib.audio(url("/x"));
        assertEquals(first, lib.audio(url("/x")));
        server.takeRequest();
        assertEquals("\"v1\"", server.takeRequest().getHeader("If-None-Match"));
        assertTrue(Files.exists(hostFile(first)));
    }

    @Test
    void redirectIsFollowed() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/media/real.wav"));
        server.enqueue(audio("audio/wav", ToneTts.wav(8000, 1, 0.25, 440)));
        String name = new AudioLibrary(store).audio(url("/short"));
        assertEquals(2000, converted(name).length);
        server.takeRequest();
        assertEquals("/media/real.wav", server.takeRequest().getPath());
    }

    @Test
    void htmlErrorPageWith200Is13420() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/html; charset=utf-8")
                .setBody("<html>Oops</html>"));
        MediaException e = assertThrows(MediaException.class, () -> new AudioLibrary(store).audio(url("/a.mp3")));
        assertEquals(13420, e.code());
    }

    @Test
    void bodyOverTheLimitIs13420WithOrWithoutContentLength() throws Exception {
        byte[] wav = ToneTts.wav(8000, 1, 1.0, 440);
        AudioLibrary lib = new AudioLibrary(store, MediaCache.unbounded(), 10_000);
        server.enqueue(audio("audio/wav", wav));
        assertEquals(13420, assertThrows(MediaException.class, () -> lib.audio(url("/big1"))).code());
        server.enqueue(new MockResponse().setHeader("Content-Type", "audio/wav").setChunkedBody(new Buffer().write(wav), 1024));
        assertEquals(13420, assertThrows(MediaException.class, () -> lib.audio(url("/big2"))).code());
        Path file = dir.resolve("big.wav");
        Files.write(file, wav);
        assertEquals(13420, assertThrows(MediaException.class, () -> lib.audio(file.toUri().toString())).code());
        try (Stream<Path> files = Files.list(dir.resolve("play"))) {
            assertEquals(List.of(), files.toList(), "no partial download left behind");
        }
    }

    @Test
    void bodyCutShortIs11200AndLeavesNothing() throws Exception {
        server.enqueue(new MockResponse().setHeader("Content-Type", "audio/wav").setHeader("Content-Length", "100000")
                .setBody(new Buffer().write(new byte[5000]))
                .setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        assertEquals(11200, assertThrows(MediaException.class, () -> new AudioLibrary(store).audio(url("/cut.wav"))).code());
        try (Stream<Path> files = Files.list(dir.resolve("play"))) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void httpErrorIs11200() {
        server.enqueue(new MockResponse().setResponseCode(404));
        assertEquals(11200, assertThrows(MediaException.class, () -> new AudioLibrary(store).audio(url("/nope"))).code());
    }

    private static byte[] rawUlaw() throws Exception {
        AudioInputStream pcm = AudioSystem.getAudioInputStream(new ByteArrayInputStream(ToneTts.wav(8000, 1, 0.5, 300)));
        return AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, pcm).readAllBytes();
    }

    @Test
    void headerlessMuLawByContentTypeOrUrlExtension() throws Exception {
        byte[] raw = rawUlaw();
        AudioLibrary lib = new AudioLibrary(store);
        server.enqueue(audio("audio/basic", raw));
        assertEquals(4000, converted(lib.audio(url("/prompt"))).length);
        server.enqueue(audio("audio/x-mulaw;rate=8000", raw));
        assertEquals(4000, converted(lib.audio(url("/prompt2"))).length);
        server.enqueue(audio("application/octet-stream", raw));
        assertEquals(4000, converted(lib.audio(url("/files/prompt.ulaw"))).length);
        server.enqueue(new MockResponse().setBody(new Buffer().write(raw)));   // no Content-Type at all
        assertEquals(4000, converted(lib.audio(url("/files/prompt.ul?v=2"))).length);
        server.enqueue(audio("application/octet-stream", raw));
        assertEquals(13420, assertThrows(MediaException.class, () -> lib.audio(url("/files/prompt.bin"))).code());
    }

    @Test
    void fileUrlsDecideByExtension() throws Exception {
        Path ulaw = dir.resolve("hello.ulaw");
        Files.write(ulaw, rawUlaw());
        Path mp3 = dir.resolve("hello.mp3");
        Files.write(mp3, AudioConverterTest.resource("tone-22k-mono-32k.mp3"));
        AudioLibrary lib = new AudioLibrary(store, new MediaCache(store, 1 << 20));
        assertEquals(4000, converted(lib.audio(ulaw.toUri().toString(), dir)).length);
        assertTrue(AudioConverterTest.rms(converted(lib.audio(mp3.toUri().toString(), dir)), 2000, 6000) > 5000);
    }

    /**
     * A {@code file:} source played by every call is looked at again every few seconds, but converted again only
     * when it changed: under load a conversion every 5 s held every call playing it while it ran.
     */
    @Test
    void aFileUrlIsConvertedAgainOnlyWhenTheFileChanges() throws Exception {
        Path wav = dir.resolve("hello.wav");
        Files.write(wav, ToneTts.wav(8000, 1, 0.5, 440));
        AtomicLong now = new AtomicLong(1_000_000);
        AudioLibrary lib = new AudioLibrary(store, new MediaCache(store, 1 << 20), AudioLibrary.MAX_BYTES, null,
                OutboundGuard.linkLocalOnly(), 2, now::get);
        String url = wav.toUri().toString();
        Path copy = hostFile(lib.audio(url, dir));
        byte[] marker = "converted once".getBytes(StandardCharsets.US_ASCII);
        Files.write(copy, marker); // a conversion would overwrite it

        now.addAndGet(AudioLibrary.FILE_RECHECK_MILLIS + 1); // stale: the source is looked at again
        assertEquals(copy, hostFile(lib.audio(url, dir)));
        assertArrayEquals(marker, Files.readAllBytes(copy), "unchanged source: not converted again");

        Files.write(wav, ToneTts.wav(8000, 1, 0.25, 440)); // the file changes
        assertArrayEquals(marker, Files.readAllBytes(hostFile(lib.audio(url, dir))), "still fresh: not looked at");
        now.addAndGet(AudioLibrary.FILE_RECHECK_MILLIS + 1);
        assertEquals(2000, converted(lib.audio(url, dir)).length, "changed source: converted again");
    }
}
