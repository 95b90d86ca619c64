package io.twimlagi.media;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten concurrent 50 MB {@code <Play>} downloads in a JVM of 96 MB heap: all converted, none dropped, no
 * OutOfMemoryError (the child exits on one). The server streams the bodies from this JVM, so only the library's
 * memory is measured. The child runs with umask 077: what it writes must still be 0640/0750, set explicitly.
 */
class PlayHeapTest {
    static final int CALLS = 10;
    static final int DATA_BYTES = 50 * 1024 * 1024;

    @TempDir
    Path dir;
    HttpServer server;
    ExecutorService serverThreads;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        serverThreads = Executors.newFixedThreadPool(CALLS + 2);
        server.setExecutor(serverThreads);
        server.createContext("/tone/", PlayHeapTest::streamWav);
        server.createContext("/tagged.mp3", PlayHeapTest::hugeId3Tag);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** An 8 kHz 16-bit mono WAV with 50 MB of a 400 Hz tone, written as it is sent (never whole in memory). */
    private static void streamWav(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "audio/wav");
        ex.sendResponseHeaders(200, 44L + DATA_BYTES);
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + DATA_BYTES).put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(DATA_BYTES);
        ByteBuffer period = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN); // 20 ms periods fit exactly
        while (period.hasRemaining()) {
            int i = period.position() / 2;
            period.putShort((short) (8000 * Math.sin(2 * Math.PI * 400 * i / 8000.0)));
        }
        try (OutputStream out = ex.getResponseBody()) {
            out.write(h.array());
            for (int sent = 0; sent < DATA_BYTES; sent += period.capacity()) out.write(period.array());
        }
    }

    /** An MP3 whose ID3v2 header claims a 256 MB tag: the MP3 reader would allocate that much. */
    private static void hugeId3Tag(HttpExchange ex) throws IOException {
        byte[] body = new byte[4096];
        byte[] header = {'I', 'D', '3', 3, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F};
        System.arraycopy(header, 0, body, 0, header.length);
        ex.getResponseHeaders().set("Content-Type", "audio/mpeg");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void tenConcurrent50MbPlaysFitIn96MbOfHeap() throws Exception {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Path media = dir.resolve("media");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\"", java,
                "-Xmx96m", "-XX:+ExitOnOutOfMemoryError", "-XX:ActiveProcessorCount=2",
                "-cp", System.getProperty("java.class.path"), PlayHeapProbe.class.getName(), media.toString()));
        for (int i = 0; i < CALLS; i++) cmd.add(base + "/tone/" + i + ".wav");
        cmd.add(base + "/tagged.mp3");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (var in = child.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8); // ends when the child exits
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, child.exitValue(), "the child failed (3 = OutOfMemoryError):\n" + out);

        List<String> lines = out.lines().toList();
        for (int i = 0; i < CALLS; i++) {
            String prefix = "ok " + i + " /ast/play/";
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix)), "call " + i + " played:\n" + out);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("error " + CALLS + " 13420 ")), "the tag: 13420\n" + out);

        Path play = media.resolve("play");
        try (Stream<Path> files = Files.list(play)) {
            List<Path> all = files.toList();
            assertEquals(CALLS, all.size(), "the converted files and nothing else (no download left): " + all);
            for (Path f : all) {
                assertEquals(44L + DATA_BYTES, Files.size(f), f + ": 8 kHz in, every sample kept");
                assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(play)));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(media)));
    }
}
