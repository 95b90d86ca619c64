package io.twimlagi.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A caller's RTP endpoint for timing on the wire: every PCMU packet Asterisk sends is kept with its arrival time
 * and payload, and the caller's own audio goes out on an exact 20 ms grid (absolute deadlines, so it never drifts)
 * with the send time of each frame kept. Pass {@link #port()} to {@code Sipp.rtpPort(...)}; sending needs Asterisk's
 * address, learned from its first packet ({@link #awaitRemote}).
 *
 * <pre>
 * try (RtpProbe p = new RtpProbe()) {
 *     ... place the call with rtpPort(p.port()) ...
 *     p.awaitRemote(Duration.ofSeconds(5));
 *     p.startSending(k -> RtpProbe.tone(1000, k), 50);      // 1 s of 1 kHz
 *     p.awaitPackets(pk -> RtpProbe.hasTone(pk.payload(), 1000), 25, Duration.ofSeconds(5));
 * }
 * </pre>
 */
public final class RtpProbe implements AutoCloseable {
    /** One RTP packet received: arrival (System.nanoTime), header fields, payload (PCMU: 160 bytes). */
    public record Packet(long nanos, int seq, long timestamp, boolean marker, int payloadType, byte[] payload) {
    }

    public static final int FRAME = 160;
    static final long PERIOD_NANOS = 20_000_000L;

    private final DatagramSocket socket;
    private final Thread receiver;
    private final List<Packet> packets = new ArrayList<>();
    private volatile SocketAddress remote;
    private volatile boolean closed;
    private Thread sender;
    private volatile boolean sending;
    private long[] sentAt = new long[0];
    private final int ssrc = (int) (Math.random() * Integer.MAX_VALUE);
    private int seq = (int) (Math.random() * 30000);
    private int ts = (int) (Math.random() * 1_000_000);

    public RtpProbe() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(200);
            socket.setReceiveBufferSize(1 << 20);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        receiver = new Thread(this::receive, "rtp-probe-" + socket.getLocalPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void receive() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            long now = System.nanoTime();
            byte[] b = p.getData();
            int len = p.getLength();
            if (len < 12 || (b[0] & 0xC0) != 0x80) continue;
            int off = 12 + 4 * (b[0] & 0x0F);
            if ((b[0] & 0x10) != 0 && len >= off + 4) off += 4 + 4 * (((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF));
            if (off > len) continue;
            Packet pk = new Packet(now, ((b[2] & 0xFF) << 8) | (b[3] & 0xFF),
                    ((long) (b[4] & 0xFF) << 24) | ((b[5] & 0xFF) << 16) | ((b[6] & 0xFF) << 8) | (b[7] & 0xFF),
                    (b[1] & 0x80) != 0, b[1] & 0x7F, Arrays.copyOfRange(b, off, len));
            if (remote == null) remote = p.getSocketAddress();
            synchronized (packets) {
                packets.add(pk);
                packets.notifyAll();
            }
        }
    }

    /** Waits for Asterisk's first packet (its address is where the caller's audio goes). */
    public boolean awaitRemote(Duration max) {
        return awaitPackets(p -> true, 1, max);
    }

    /** Waits until {@code n} received packets match; false on timeout. */
    public boolean awaitPackets(Predicate<Packet> match, int n, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (packets) {
            while (packets.stream().filter(match).count() < n) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return false;
                try {
                    packets.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    public List<Packet> packets() {
        synchronized (packets) {
            return List.copyOf(packets);
        }
    }

    /** Received PCMU packets whose payload matches. */
    public List<Packet> packets(Predicate<Packet> match) {
        return packets().stream().filter(p -> p.payloadType() == 0).filter(match).toList();
    }

    /**
     * Sends {@code frames} frames of the caller's audio, frame {@code k} being {@code frame.apply(k)} (160 μ-law
     * bytes), one every 20 ms on an absolute grid from now; returns at once. {@link #sentAt} tells when each left.
     */
    public synchronized void startSending(IntFunction<byte[]> frame, int frames) {
        if (remote == null) throw new IllegalStateException("no RTP received yet: Asterisk's address is unknown");
        stopSending();
        sentAt = new long[frames];
        Arrays.fill(sentAt, -1);
        sending = true;
        long[] times = sentAt;
        sender = new Thread(() -> {
            // the frames are made before the first is sent: making one on a cold JVM (class loading) took 15 ms,
            // so the first frame left late and the second 5 ms after it
            byte[][] payloads = new byte[frames][];
            for (int k = 0; k < frames; k++) payloads[k] = frame.apply(k);
            long next = System.nanoTime();
            for (int k = 0; k < frames && sending; k++) {
                long wait;
                while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                send(0, k == 0, FRAME, payloads[k]);
                times[k] = System.nanoTime();
                next += PERIOD_NANOS;
            }
        }, "rtp-probe-send-" + port());
        sender.setDaemon(true);
        sender.setPriority(Thread.MAX_PRIORITY);
        sender.start();
    }

    /** When frame {@code k} of the last {@link #startSending} left (System.nanoTime), -1 if not yet. */
    public synchronized long sentAt(int k) {
        return k < sentAt.length ? sentAt[k] : -1;
    }

    /** Stops the audio being sent and waits for the sender to end. */
    public synchronized void stopSending() {
        sending = false;
        if (sender != null) {
            try {
                sender.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sender = null;
        }
    }

    /** Waits until every frame of the last {@link #startSending} left. */
    public void awaitSent(Duration max) {
        Thread t;
        synchronized (this) {
            t = sender;
        }
        if (t == null) return;
        try {
            t.join(max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One RFC 4733 digit (PT 101), 100 ms, with its three end packets (not while audio is being sent). */
    public void sendDtmf(char digit) {
        int event = "0123456789*#".indexOf(digit);
        if (event < 0) throw new IllegalArgumentException("not a DTMF digit: " + digit);
        int start;
        synchronized (this) {
            start = ts;
        }
        for (int i = 1; i <= 5; i++) {
            sendAt(101, i == 1, start, new byte[] {(byte) event, 10, (byte) ((i * FRAME) >> 8), (byte) (i * FRAME)});
            LockSupport.parkNanos(PERIOD_NANOS);
        }
        for (int i = 0; i < 3; i++) {
            sendAt(101, false, start, new byte[] {(byte) event, (byte) (0x80 | 10), (byte) ((5 * FRAME) >> 8),
                    (byte) (5 * FRAME)});
        }
        synchronized (this) {
            ts += 5 * FRAME;
        }
    }

    private void send(int pt, boolean marker, int advance, byte[] payload) {
        int t;
        synchronized (this) {
            t = ts;
            ts += advance;
        }
        sendAt(pt, marker, t, payload);
    }

    private void sendAt(int pt, boolean marker, int timestamp, byte[] payload) {
        byte[] b = new byte[12 + payload.length];
        int s;
        synchronized (this) {
            s = seq++ & 0xFFFF;
        }
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | pt);
        b[2] = (byte) (s >> 8);
        b[3] = (byte) s;
        b[4] = (byte) (timestamp >> 24);
        b[5] = (byte) (timestamp >> 16);
        b[6] = (byte) (timestamp >> 8);
        b[7] = (byte) timestamp;
        b[8] = (byte) (ssrc >> 24);
        b[9] = (byte) (ssrc >> 16);
        b[10] = (byte) (ssrc >> 8);
        b[11] = (byte) ssrc;
        System.arraycopy(payload, 0, b, 12, payload.length);
        try {
            socket.send(new DatagramPacket(b, b.length, remote));
        } catch (IOException e) {
            if (!closed) throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stopSending();
        closed = true;
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- audio ----

    /** Frame {@code k} of a continuous sine tone (half scale) as μ-law. */
    public static byte[] tone(double hz, int k) {
        byte[] u = new byte[FRAME];
        for (int i = 0; i < FRAME; i++) {
            double t = (double) (k * FRAME + i) / 8000;
            u[i] = RtpSink.linearToUlaw((short) Math.round(16000 * Math.sin(2 * Math.PI * hz * t)));
        }
        return u;
    }

    /** True when the frame is louder than -45 dBFS and {@code hz} holds at least 40 % of its power (Goertzel). */
    public static boolean hasTone(byte[] ulaw, double hz) {
        double k = 2 * Math.cos(2 * Math.PI * hz / 8000);
        double s1 = 0;
        double s2 = 0;
        double total = 0;
        for (byte b : ulaw) {
            double x = RtpSink.ulawToLinear(b) / 32768.0;
            double s0 = x + k * s1 - s2;
            s2 = s1;
            s1 = s0;
            total += x * x;
        }
        int n = ulaw.length;
        if (n == 0 || 10 * Math.log10(total / n + 1e-12) <= -45) return false;
        return (s1 * s1 + s2 * s2 - k * s1 * s2) * 2 / n >= 0.4 * total;
    }

    /** True when the frame is louder than -45 dBFS. */
    public static boolean loud(byte[] ulaw) {
        double total = 0;
        for (byte b : ulaw) {
            double x = RtpSink.ulawToLinear(b) / 32768.0;
            total += x * x;
        }
        return ulaw.length > 0 && 10 * Math.log10(total / ulaw.length + 1e-12) > -45;
    }
}
