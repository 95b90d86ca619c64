package io.twimlagi.stream;

import io.twimlagi.audiosocket.FakeAudioSocket;
import io.twimlagi.call.AudioLinkEnd;
import io.twimlagi.twiml.Connect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.twimlagi.stream.ConnectStreamTest.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An app that accepts the WebSocket and never reads from it cannot make the server hold more than a bound. */
class SlowAppTest {
    final StreamFixture f;
    final ServerSocket deaf;
    Socket accepted;

    SlowAppTest() throws Exception {
        f = new StreamFixture();
        deaf = new ServerSocket();
        deaf.setReceiveBufferSize(4096); // a small window: the server's writes back up quickly
        deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::handshakeThenNeverRead, "deaf-app");
        t.setDaemon(true);
        t.start();
    }

    /** Answers the upgrade (RFC 6455's accept key), then reads nothing more. */
    private void handshakeThenNeverRead() {
        try {
            accepted = deaf.accept();
            InputStream in = accepted.getInputStream();
            StringBuilder request = new StringBuilder();
            while (!request.toString().endsWith("\r\n\r\n")) request.append((char) in.read());
            Matcher key = Pattern.compile("(?i)Sec-WebSocket-Key: *(\\S+)").matcher(request);
            assertTrue(key.find());
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.group(1)
                    + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            OutputStream out = accepted.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(sha1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (Exception e) {
            // the test fails on its own assertions
        }
    }

    @AfterEach
    void close() throws IOException {
        if (accepted != null) accepted.close();
        deaf.close();
        f.close();
    }

    @Test
    void mediaForAnAppThatDoesNotReadIsDroppedNotQueued() throws Exception {
        long[] dropped = new long[1];
        long[] queued = new long[1];
        f.call.onLinkAudio = link -> {
            try (FakeAudioSocket a = FakeAudioSocket.connect(link.address(), link.id())) {
                byte[] frame = new byte[320];
                for (int i = 0; i < 40_000; i++) { // 13 minutes of the caller's audio, as fast as TCP takes it
                    frame[0] = (byte) i;
                    a.sendAudio(frame);
                }
                StreamSession s = f.streams.liveSessions().get(0);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (s.appDropped() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
                dropped[0] = s.appDropped();
                queued[0] = s.appQueuedBytes();
                return AudioLinkEnd.CALLER_HUNG_UP;
            }
        };
        new ConnectStreamExecutor(f.streams, (v, c) -> null).execute((Connect) f.verb(
                "<Connect><Stream url=\"ws://127.0.0.1:" + deaf.getLocalPort() + "/stream\"/></Connect>"), f.ctx);
        assertTrue(dropped[0] > 0, "media beyond the bound is dropped");
        assertTrue(queued[0] <= AppChannel.MAX_QUEUED_BYTES + 1024, "held for the app: " + queued[0] + " bytes");
        assertEquals(0, f.streams.live(), "the stream ended with the call all the same");
    }
}
