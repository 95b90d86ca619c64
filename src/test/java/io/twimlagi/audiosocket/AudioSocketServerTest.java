package io.twimlagi.audiosocket;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.AudioSink;
import io.twimlagi.util.AddressList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AudioSocket listener against a fake Asterisk speaking the protocol over TCP. */
class AudioSocketServerTest {
    private AudioSocketServer server;

    /** Records what a link brings in. */
    static class Recorder implements AudioSink {
        final CountDownLatch connected = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final List<byte[]> frames = Collections.synchronizedList(new ArrayList<>());
        final StringBuffer digits = new StringBuffer();
        volatile int closes;

        @Override
        public void connected() {
            connected.countDown();
        }

        @Override
        public void audio(byte[] pcm, int offset, int length) {
            byte[] copy = new byte[length];
            System.arraycopy(pcm, offset, copy, 0, length);
            frames.add(copy);
        }

        @Override
        public void dtmf(char digit) {
            digits.append(digit);
        }

        @Override
        public void closed() {
            closes++;
            closed.countDown();
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new AudioSocketServer(AddressList.LOOPBACK);
        server.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void framesAndDigitsReachTheLinkOfTheUuidAsteriskPresents() throws Exception {
        Recorder sink = new Recorder();
        AudioLink link = server.open(sink);
        assertTrue(link.address().startsWith("127.0.0.1:"));
        try (FakeAudioSocket asterisk = FakeAudioSocket.connect(link.address(), link.id())) {
            assertTrue(sink.connected.await(2, TimeUnit.SECONDS));
            byte[] frame = new byte[320];
            for (int i = 0; i < frame.length; i++) frame[i] = (byte) i;
            asterisk.sendAudio(frame);
            asterisk.sendDtmf('5');
            asterisk.sendAudio(new byte[640]); // a stereo frame (ChanSpy's D)
            asterisk.sendDtmf('#');
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while ((sink.frames.size() < 2 || sink.digits.length() < 2) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertArrayEquals(frame, sink.frames.get(0));
            assertEquals(640, sink.frames.get(1).length);
            assertEquals("5#", sink.digits.toString());

            link.send(frame);
            assertTrue(asterisk.awaitReceived(m -> m.kind() == 0x10, Duration.ofSeconds(2)));
            assertArrayEquals(frame, asterisk.received().get(0).payload());

            link.hangUp();
            assertTrue(asterisk.awaitReceived(m -> m.kind() == 0x00, Duration.ofSeconds(2)),
                    "AudioSocket's hangup message: Asterisk's AudioSocket() returns");
            assertTrue(asterisk.awaitClosedByServer(Duration.ofSeconds(2)));
            assertTrue(sink.closed.await(1, TimeUnit.SECONDS));
            link.hangUp();
            assertEquals(1, sink.closes, "closed() once");
        }
    }

    @Test
    void asteriskEndingTheConnectionClosesTheLink() throws Exception {
        Recorder sink = new Recorder();
        AudioLink link = server.open(sink);
        FakeAudioSocket asterisk = FakeAudioSocket.connect(link.address(), link.id());
        assertTrue(sink.connected.await(2, TimeUnit.SECONDS));
        asterisk.close();
        assertTrue(sink.closed.await(2, TimeUnit.SECONDS));
        assertEquals(0, server.links());
    }

    @Test
    void aUuidIsGoodForOneConnectionAndUnknownOnesAreClosed() throws Exception {
        Recorder sink = new Recorder();
        AudioLink link = server.open(sink);
        try (FakeAudioSocket first = FakeAudioSocket.connect(link.address(), link.id());
             FakeAudioSocket again = FakeAudioSocket.connect(link.address(), link.id());
             FakeAudioSocket stranger = FakeAudioSocket.connect(link.address(), UUID.randomUUID().toString())) {
            assertTrue(sink.connected.await(2, TimeUnit.SECONDS));
            assertTrue(again.awaitClosedByServer(Duration.ofSeconds(2)), "a used id is refused");
            assertTrue(stranger.awaitClosedByServer(Duration.ofSeconds(2)), "an unknown id is refused");
            first.sendAudio(new byte[320]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (sink.frames.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(1, sink.frames.size(), "the first connection still works");
        }
    }

    @Test
    void aLinkHungUpBeforeAsteriskConnectsIsEndedWhenItDoes() throws Exception {
        Recorder sink = new Recorder();
        AudioLink link = server.open(sink);
        link.hangUp();
        assertTrue(sink.closed.await(1, TimeUnit.SECONDS));
        try (FakeAudioSocket late = FakeAudioSocket.connect(link.address(), link.id())) {
            assertTrue(late.awaitClosedByServer(Duration.ofSeconds(2)));
        }
    }

    @Test
    void aConnectionThatNamesNoLinkIsDroppedAfterTwoSeconds() throws Exception {
        Recorder sink = new Recorder();
        AudioLink link = server.open(sink);
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1",
                Integer.parseInt(link.address().substring(link.address().indexOf(':') + 1)))) {
            long t0 = System.nanoTime();
            assertEquals(-1, silent.getInputStream().read(), "closed by the server");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1900 && ms < 4000, "dropped after about 2 s, was " + ms + " ms");
        }
    }

    @Test
    void oversizedMessagesEndTheConnection() throws Exception {
        Recorder sink = new Recorder();
        AudioLink link = server.open(sink);
        try (FakeAudioSocket asterisk = FakeAudioSocket.connect(link.address(), link.id())) {
            assertTrue(sink.connected.await(2, TimeUnit.SECONDS));
            asterisk.send(0x10, new byte[AudioSocketFrames.MAX_PAYLOAD + 1]);
            assertTrue(sink.closed.await(2, TimeUnit.SECONDS));
        }
    }

    @Test
    void peersOutsideTheAllowListAreRefused() throws Exception {
        AudioSocketServer strict = new AudioSocketServer(AddressList.parse("192.0.2.1"));
        strict.listen(new InetSocketAddress("127.0.0.1", 0));
        try {
            Recorder sink = new Recorder();
            AudioLink link = strict.open(sink);
            try (FakeAudioSocket asterisk = FakeAudioSocket.connect(link.address(), link.id())) {
                assertTrue(asterisk.awaitClosedByServer(Duration.ofSeconds(2)));
                assertEquals(1, sink.connected.getCount(), "never connected");
            }
        } finally {
            strict.close();
        }
    }

    @Test
    void noLinksBeforeListening() {
        AudioSocketServer idle = new AudioSocketServer(AddressList.LOOPBACK);
        assertThrows(IllegalStateException.class, () -> idle.open(new Recorder()));
        idle.close();
    }

    @Test
    void asteriskIsToldALoopbackAddressForAWildcardBind() {
        assertEquals("127.0.0.1:4574", AudioSocketServer.forAsterisk(new InetSocketAddress("0.0.0.0", 4574)));
        assertEquals("[0:0:0:0:0:0:0:1]:4574", AudioSocketServer.forAsterisk(new InetSocketAddress("::1", 4574)));
    }

    /** A failure inside one connection's handling (here: its sink throws) ends that link, not the listener. */
    @Test
    void aConnectionWhoseHandlingFailsEndsAloneAndTheListenerGoesOn() throws Exception {
        Recorder broken = new Recorder() {
            @Override
            public void audio(byte[] pcm, int offset, int length) {
                throw new IllegalStateException("sink failure");
            }
        };
        AudioLink first = server.open(broken);
        try (FakeAudioSocket asterisk = FakeAudioSocket.connect(first.address(), first.id())) {
            assertTrue(broken.connected.await(2, TimeUnit.SECONDS));
            asterisk.sendAudio(new byte[320]);
            assertTrue(broken.closed.await(2, TimeUnit.SECONDS), "that link ended");
        }
        Recorder sink = new Recorder();
        AudioLink second = server.open(sink);
        try (FakeAudioSocket asterisk = FakeAudioSocket.connect(second.address(), second.id())) {
            assertTrue(sink.connected.await(2, TimeUnit.SECONDS), "the listener still accepts and identifies");
            asterisk.sendAudio(new byte[320]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (sink.frames.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(1, sink.frames.size(), "and still reads");
        }
    }

    @Test
    void aHangupWhileAFrameIsCutShortGoesAfterThatFrameNotIntoIt() throws Exception {
        Recorder sink = new Recorder();
        AudioLink link = server.open(sink);
        String[] hostPort = link.address().split(":");
        try (SocketChannel asterisk = SocketChannel.open()) {
            asterisk.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // a small window: the server's writes stall
            asterisk.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
            UUID id = UUID.fromString(link.id());
            ByteBuffer hello = ByteBuffer.allocate(19).put(AudioSocketFrames.UUID).putShort((short) 16)
                    .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).flip();
            asterisk.write(hello);
            assertTrue(sink.connected.await(2, TimeUnit.SECONDS));
            // Asterisk does not read: frames go out until one is cut short and the next cannot be sent
            AudioSocketLink l = (AudioSocketLink) link;
            byte[] pcm = new byte[320];
            Arrays.fill(pcm, (byte) 0x55);
            for (int i = 0; i < 100_000 && l.dropped() == 0; i++) l.send(pcm);
            assertTrue(l.dropped() > 0, "the socket filled up");
            // Asterisk reads again while the server hangs up: every message it reads must be whole
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                ByteBuffer in = ByteBuffer.allocate(65536);
                try {
                    while (asterisk.read(in) >= 0) {
                        got.write(in.array(), 0, in.position());
                        in.clear();
                    }
                } catch (IOException e) {
                    // the end
                }
            });
            reader.start();
            link.hangUp();
            reader.join(5000);
            ByteBuffer all = ByteBuffer.wrap(got.toByteArray());
            int audio = 0;
            while (all.remaining() >= 3) {
                byte kind = all.get();
                int length = all.getShort() & 0xFFFF;
                if (kind == AudioSocketFrames.HANGUP) {
                    assertEquals(0, length);
                    assertEquals(0, all.remaining(), "the hangup message is the last");
                    assertTrue(audio > 0);
                    return;
                }
                assertEquals(AudioSocketFrames.AUDIO, kind, "message " + audio + " is audio");
                assertEquals(320, length, "message " + audio + " is a whole frame");
                assertTrue(all.remaining() >= 320, "message " + audio + " is cut short by the hangup message");
                for (int i = 0; i < 320; i++) assertEquals(0x55, all.get() & 0xFF, "message " + audio + " byte " + i);
                audio++;
            }
            throw new AssertionError("no hangup message after " + audio + " frames; " + all.remaining() + " bytes left");
        }
    }
    /**
     * The kernel may make room in the send buffer at any moment (a window update from the receiver's side), and then
     * the hangup does not wait at all: the case is set up again, a few times, until the hangup is seen waiting.
     */
    @Test
    void theStreamClocksFrameNeverWaitsForAHangupFinishingACutShortFrame() throws Exception {
        for (int attempt = 1; attempt <= 10; attempt++) {
            if (clockFrameWhileTheHangupWaits()) return;
        }
        throw new AssertionError("in 10 attempts the hangup never had to wait for Asterisk to read");
    }

    /** False when the hangup did not have to wait (room was made meanwhile): nothing was tested. */
    private boolean clockFrameWhileTheHangupWaits() throws Exception {
        Recorder sink = new Recorder();
        AudioLink link = server.open(sink);
        String[] hostPort = link.address().split(":");
        try (SocketChannel asterisk = SocketChannel.open()) {
            asterisk.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            asterisk.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
            UUID id = UUID.fromString(link.id());
            asterisk.write(ByteBuffer.allocate(19).put(AudioSocketFrames.UUID).putShort((short) 16)
                    .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).flip());
            assertTrue(sink.connected.await(2, TimeUnit.SECONDS));
            AudioSocketLink l = (AudioSocketLink) link;
            byte[] pcm = new byte[320];
            for (int i = 0; i < 100_000 && l.dropped() == 0; i++) l.send(pcm); // Asterisk does not read
            assertTrue(l.dropped() > 0, "a frame is cut short");
            Thread hangingUp = new Thread(link::hangUp, "hanging-up");
            hangingUp.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            Thread.State state;
            while ((state = hangingUp.getState()) != Thread.State.TIMED_WAITING && state != Thread.State.TERMINATED
                    && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (state == Thread.State.TERMINATED) return false; // the socket took the rest at once
            assertEquals(Thread.State.TIMED_WAITING, state, "the hangup waits for Asterisk to read");
            l.send(pcm); // the stream clock's next frame for this link (it is shared by every call)
            assertEquals(1, sink.closed.getCount(), "the frame was not held until the hangup gave up waiting");
            hangingUp.join(2000);
            assertTrue(sink.closed.await(2, TimeUnit.SECONDS), "the link ends");
            return true;
        }
    }
}
