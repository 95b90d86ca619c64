package io.twimlagi.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slow and idle clients cannot stall the HTTP server, and lose their connection at the deadlines. */
class SlowClientsTest {
    static final Duration READ = Duration.ofSeconds(2);

    EmbeddedHttpServer server;
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
    }

    /** Short read and write deadlines; a long idle timeout, so that only the deadlines can close. */
    EmbeddedHttpServer start(int maxConnections, Duration busyIdle) throws IOException {
        server = new EmbeddedHttpServer(new InetSocketAddress("127.0.0.1", 0),
                new HttpLimits(READ, Duration.ofSeconds(60), Duration.ofSeconds(1), 1L << 40, maxConnections,
                        busyIdle, 64 * 1024, 16), () -> 7, null, null, null);
        return server;
    }

    Socket connect() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(server.address(), 5000);
        return s;
    }

    /** The status line of GET /health on a fresh connection. */
    String health() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.endsWith("{\"status\":\"ok\",\"activeCalls\":7}\n"), response);
            return response.substring(0, response.indexOf("\r\n"));
        }
    }

    /** Blocks until the server closes the connection (EOF or reset); the time it happened, in nanos. */
    static long awaitClosed(Socket s, Duration atMost) throws IOException {
        s.setSoTimeout((int) atMost.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // an error answer may come first; the close is what counts
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after " + atMost.toMillis() + " ms");
        } catch (SocketException e) {
            // reset: closed too
        }
        return System.nanoTime();
    }

    static void await(BooleanSupplier condition, Duration atMost, String what) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    @Test
    void healthAnswersWhile100SlowConnectionsWaitAndTheyAreClosedAtTheReadDeadline() throws Exception {
        start(1000, Duration.ofSeconds(1));
        long sentAt = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            Socket s = connect();
            s.getOutputStream().write('G');
            s.getOutputStream().flush();
        }
        await(() -> server.openConnections() >= 100, Duration.ofSeconds(5), "100 open connections");

        long t0 = System.nanoTime();
        assertEquals("HTTP/1.1 200 OK", health());
        double took = seconds(System.nanoTime() - t0);
        assertTrue(took < 1.0, "/health took " + took + " s");

        for (Socket s : sockets) {
            double after = seconds(awaitClosed(s, READ.plusSeconds(3)) - sentAt);
            assertTrue(after >= READ.toMillis() / 1000.0 - 0.1, "closed before the read deadline: " + after + " s");
            assertTrue(after <= READ.toMillis() / 1000.0 + 2.0, "closed late: " + after + " s");
        }
        await(() -> server.openConnections() == 0, Duration.ofSeconds(2), "no open connection");
    }

    @Test
    void aRequestDrippingOneByteAtATimeIsClosedAtTheReadDeadline() throws Exception {
        start(1000, Duration.ofSeconds(1));
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        byte[] request = ("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(200) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        long[] closedAt = new long[1];
        Thread reader = new Thread(() -> {
            try {
                closedAt[0] = awaitClosed(s, Duration.ofSeconds(10));
            } catch (IOException e) {
                closedAt[0] = System.nanoTime();
            }
        });
        reader.start();
        // one byte every 100 ms: far inside the idle timeout, 20 s for the whole request
        for (int i = 0; i < request.length && reader.isAlive(); i++) {
            try {
                out.write(request[i]);
                out.flush();
            } catch (IOException e) {
                break; // the server closed
            }
            reader.join(100);
        }
        reader.join(10_000);
        double after = seconds(closedAt[0] - start);
        assertTrue(closedAt[0] != 0 && after <= READ.toMillis() / 1000.0 + 1.5, "closed after " + after + " s");
        assertTrue(after >= READ.toMillis() / 1000.0 - 0.1, "closed before the deadline: " + after + " s");
    }

    @Test
    void aBodyThatStopsComingGets408AtTheReadDeadline() throws Exception {
        start(1000, Duration.ofSeconds(1));
        server.route("/echo", x -> x.sendText(200, x.bodyText()));
        Socket s = connect();
        long start = System.nanoTime();
        s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
                .getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout((int) READ.plusSeconds(3).toMillis());
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        double after = seconds(System.nanoTime() - start);
        assertTrue(response.startsWith("HTTP/1.1 408 "), response);
        assertTrue(after >= READ.toMillis() / 1000.0 - 0.1 && after <= READ.toMillis() / 1000.0 + 1.5,
                "answered after " + after + " s");
    }

    @Test
    void aClientThatDoesNotReadTheAnswerIsCutOffAtTheWriteDeadline() throws Exception {
        start(1000, Duration.ofSeconds(1));
        int size = 32 << 20;
        String big = "a".repeat(size);
        server.route("/big", x -> x.send(200, "application/octet-stream", big));
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(server.address(), 5000);
        s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        await(() -> server.openConnections() == 1, Duration.ofSeconds(2), "the connection");
        // the kernel buffers take a few MB; the rest stays unsent until the deadline closes the connection
        await(() -> server.openConnections() == 0, Duration.ofSeconds(5), "the write deadline");
        long received = 0;
        s.setSoTimeout(5000);
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) received += n;
        } catch (SocketException e) {
            // reset
        }
        assertTrue(received < size, "received " + received + " of " + size);
    }

    @Test
    void connectionsAreCappedAndIdleOnesDroppedWhenTheCapIsReached() throws Exception {
        start(10, Duration.ofMillis(200));
        for (int i = 0; i < 15; i++) {
            Socket s = connect();
            s.getOutputStream().write('G');
            s.getOutputStream().flush();
        }
        await(() -> server.openConnections() >= 10, Duration.ofSeconds(5), "10 open connections");
        long t0 = System.nanoTime();
        assertEquals("HTTP/1.1 200 OK", health());
        double took = seconds(System.nanoTime() - t0);
        assertTrue(took < 1.0, "/health took " + took + " s");
        assertTrue(server.openConnections() <= 10, "open: " + server.openConnections());
    }
}
