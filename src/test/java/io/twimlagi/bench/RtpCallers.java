package io.twimlagi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Many callers' RTP for a load test, at the cost of two threads: one sender drives every caller on one 20 ms grid
 * (split in {@link #SLOTS} slots, so that the callers' packets do not all leave at the same instant), one receiver
 * reads every caller's socket (non-blocking, one selector). Nothing is allocated per packet: each caller's frame k
 * is a fixed tone with k written into it ({@link FrameCodec}), and what is received is kept as arrival times per
 * frame number, not as packets.
 */
final class RtpCallers implements AutoCloseable {
    static final int FRAME = 160;
    static final long PERIOD_NANOS = 20_000_000L;
    /** The grid is cut in this many slots; caller i sends in slot i % SLOTS. */
    static final int SLOTS = 4;

    /** How frames are numbered: frame k's audio, and the number of a received payload (-1: none). */
    interface FrameCodec {
        void write(int k, byte[] frame);

        int read(ByteBuffer payload);
    }

    /** One caller: its socket, what it sent and what came back, by frame number. */
    final class Caller {
        final int slot;
        final DatagramChannel channel;
        final long[] sentAt;
        /** First arrival of each frame number (System.nanoTime), -1 if never. */
        final long[] receivedAt;
        final int[] receivedCount;
        private final ByteBuffer packet = ByteBuffer.allocateDirect(12 + FRAME);
        private final byte[] frame = new byte[FRAME];
        private final int ssrc = (int) (Math.random() * Integer.MAX_VALUE);
        private int seq = (int) (Math.random() * 30000);
        private int ts = (int) (Math.random() * 1_000_000);
        private volatile SocketAddress remote;
        private volatile boolean sending;
        private int next;
        int outOfOrder;
        private int highest = -1;

        Caller(int slot, int frames) throws IOException {
            this.slot = slot;
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 18);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.configureBlocking(false);
            sentAt = filled(frames);
            receivedAt = filled(frames);
            receivedCount = new int[frames];
        }

        int port() {
            return ((InetSocketAddress) localAddress()).getPort();
        }

        private SocketAddress localAddress() {
            try {
                return channel.getLocalAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits for Asterisk's first packet (its address is where this caller's audio goes). */
        boolean awaitRemote(long maxMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
            while (remote == null) {
                if (System.nanoTime() > deadline) return false;
                Thread.sleep(5);
            }
            return true;
        }

        /** Starts sending frames 0, 1, ... from the next tick of this caller's slot. */
        void start() {
            sending = true;
        }

        /** True once every frame went out. */
        boolean done() {
            return next >= sentAt.length;
        }

        /** One frame: RTP header, this caller's numbered audio. */
        private void sendNext(long now) throws IOException {
            int k = next++;
            codec.write(k, frame);
            packet.clear();
            packet.put((byte) 0x80).put((byte) (k == 0 ? 0x80 : 0)).putShort((short) seq++).putInt(ts).putInt(ssrc)
                    .put(frame).flip();
            ts += FRAME;
            channel.send(packet, remote);
            sentAt[k] = now;
        }

        private void received(ByteBuffer b, long now) {
            if (b.remaining() < 12 || (b.get(0) & 0xC0) != 0x80 || (b.get(1) & 0x7F) != 0) return; // PCMU only
            int off = 12 + 4 * (b.get(0) & 0x0F);
            if (off > b.limit()) return;
            b.position(off);
            int k = codec.read(b);
            if (k < 0 || k >= receivedAt.length) return;
            if (receivedCount[k]++ == 0) receivedAt[k] = now;
            if (k < highest) outOfOrder++;
            highest = Math.max(highest, k);
        }
    }

    private final FrameCodec codec;
    private final List<Caller> callers = new CopyOnWriteArrayList<>();
    private final Selector selector;
    private final Thread sender;
    private final Thread receiver;
    private volatile boolean closed;

    RtpCallers(FrameCodec codec) {
        this.codec = codec;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sender = new Thread(this::sendLoop, "rtp-callers-send");
        sender.setDaemon(true);
        receiver = new Thread(this::receiveLoop, "rtp-callers-receive");
        receiver.setDaemon(true);
        sender.start();
        receiver.start();
    }

    /** Callers not yet registered with the receiver's selector. */
    private final List<Caller> pending = new CopyOnWriteArrayList<>();

    /** A new caller of {@code frames} frames; pass its {@link Caller#port()} to sipp. */
    Caller add(int frames) throws IOException {
        Caller c = new Caller(callers.size() % SLOTS, frames);
        callers.add(c);
        pending.add(c);
        selector.wakeup();
        return c;
    }

    List<Caller> callers() {
        return List.copyOf(callers);
    }

    private void sendLoop() {
        long next = System.nanoTime();
        int slot = 0;
        while (!closed) {
            long wait;
            while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            long now = System.nanoTime();
            for (Caller c : callers) {
                if (c.slot != slot || !c.sending || c.done()) continue;
                try {
                    c.sendNext(now);
                } catch (IOException e) {
                    if (!closed) System.err.println("rtp caller: " + e);
                }
            }
            slot = (slot + 1) % SLOTS;
            next += PERIOD_NANOS / SLOTS;
        }
    }

    private void receiveLoop() {
        ByteBuffer b = ByteBuffer.allocateDirect(2048);
        try {
            while (!closed) {
                for (Caller c : pending) {
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                    pending.remove(c);
                }
                selector.select(200);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Caller c = (Caller) key.attachment();
                    SocketAddress from;
                    b.clear();
                    while ((from = c.channel.receive(b)) != null) {
                        if (c.remote == null) c.remote = from;
                        b.flip();
                        c.received(b, now);
                        b.clear();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) System.err.println("rtp callers' receiver stopped: " + e);
        }
    }

    static long[] filled(int n) {
        long[] a = new long[n];
        Arrays.fill(a, -1);
        return a;
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
        } catch (IOException e) {
            // closing
        }
        try {
            sender.join(1000);
            receiver.join(1000); // what it recorded is read after this
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Caller c : callers) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
