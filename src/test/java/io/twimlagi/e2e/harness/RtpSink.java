package io.twimlagi.e2e.harness;

import io.twimlagi.media.Ulaw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The caller's RTP endpoint: pass {@link #port()} to {@code Sipp.rtpPort(...)} so the SDP offer points here, and
 * Asterisk's RTP for the call lands in this socket. PCMU (PT 0) is decoded to 16-bit linear at 8 kHz.
 *
 * <pre>
 * try (RtpSink sink = new RtpSink()) {
 *     SippResult r = Sipp.scenario("answer-wait-bye.xml").rtpPort(sink.port()).run();
 *     assertTrue(sink.awaitSpeechMillis(500, Duration.ofSeconds(5)));
 *     sink.rmsDbfs(); sink.packetCount(); sink.durationMillis();
 * }
 * </pre>
 * μ-law 0xFF / 0x7F decode to 0: Asterisk's silence frames are -inf dBFS, speech or tones are well above -45 dBFS.
 * It can also send to Asterisk's RTP address (learned from the first packet): {@link #sendDtmf(char, Duration)}
 * (RFC 4733, PT 101) and {@link #sendPcmu(short[])}.
 */
public final class RtpSink implements AutoCloseable {

    /** Frames (20 ms) louder than this count as speech/tone. */
    public static final double SPEECH_THRESHOLD_DBFS = -45.0;
    private static final int FRAME = 160; // 20 ms at 8 kHz

    private final DatagramSocket socket;
    private final Thread thread;
    private final Object lock = new Object();
    private short[] pcm = new short[8000 * 10];
    private int samples;
    private int packets;
    private int pcmuPackets;
    private int eventPackets;
    private int otherPackets;
    private long firstPacketNanos = -1;
    private long lastPacketNanos = -1;
    private SocketAddress remote;
    private final StringBuilder receivedEvents = new StringBuilder();
    private int lastEventTs = -1;
    private volatile boolean closed;

    // sender state
    private final int ssrc = (int) (Math.random() * Integer.MAX_VALUE);
    private int sendSeq = (int) (Math.random() * 30000);
    private int sendTs = (int) (Math.random() * 1_000_000);

    public RtpSink() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(200);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, "rtp-sink-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** The UDP port on 127.0.0.1 (the SDP m=audio port). */
    public int port() {
        return socket.getLocalPort();
    }

    private void loop() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                socket.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            handle(p.getData(), p.getLength(), p.getSocketAddress());
        }
    }

    private void handle(byte[] b, int len, SocketAddress from) {
        if (len < 12 || (b[0] & 0xC0) != 0x80) return; // not RTP v2
        int cc = b[0] & 0x0F;
        boolean ext = (b[0] & 0x10) != 0;
        boolean padding = (b[0] & 0x20) != 0;
        int pt = b[1] & 0x7F;
        int ts = ((b[4] & 0xFF) << 24) | ((b[5] & 0xFF) << 16) | ((b[6] & 0xFF) << 8) | (b[7] & 0xFF);
        int off = 12 + 4 * cc;
        if (ext && len >= off + 4) off += 4 + 4 * (((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF));
        int end = padding ? len - (b[len - 1] & 0xFF) : len;
        if (off > end) return;
        synchronized (lock) {
            long now = System.nanoTime();
            if (firstPacketNanos < 0) firstPacketNanos = now;
            lastPacketNanos = now;
            if (remote == null) remote = from;
            packets++;
            if (pt == 0) {
                pcmuPackets++;
                ensure(samples + (end - off));
                for (int i = off; i < end; i++) pcm[samples++] = ulawToLinear(b[i]);
            } else if (pt == 101 || (pt >= 96 && end - off == 4)) {
                eventPackets++;
                if (end - off >= 4 && ts != lastEventTs) { // one digit per event timestamp
                    lastEventTs = ts;
                    receivedEvents.append(eventChar(b[off] & 0xFF));
                }
            } else {
                otherPackets++;
            }
            lock.notifyAll();
        }
    }

    private void ensure(int n) {
        if (n > pcm.length) pcm = Arrays.copyOf(pcm, Math.max(n, pcm.length * 2));
    }

    /** All RTP packets received (any payload type). */
    public int packetCount() {
        synchronized (lock) { return packets; }
    }

    /** PCMU (PT 0) packets received. */
    public int pcmuPacketCount() {
        synchronized (lock) { return pcmuPackets; }
    }

    /** RFC 4733 telephone-event packets received. */
    public int eventPacketCount() {
        synchronized (lock) { return eventPackets; }
    }

    /** DTMF digits received as RFC 4733 events (one per event), e.g. from SendDTMF / &lt;Play digits&gt;. */
    public String receivedDtmf() {
        synchronized (lock) { return receivedEvents.toString(); }
    }

    /** Audio received, in milliseconds of decoded PCMU (samples / 8). */
    public long durationMillis() {
        synchronized (lock) { return samples / 8; }
    }

    /** Wall-clock time between the first and the last packet, in ms (0 if fewer than two packets). */
    public long wallClockMillis() {
        synchronized (lock) {
            return firstPacketNanos < 0 ? 0 : (lastPacketNanos - firstPacketNanos) / 1_000_000;
        }
    }

    /** Copy of the decoded 8 kHz 16-bit samples. */
    public short[] samples() {
        synchronized (lock) { return Arrays.copyOf(pcm, samples); }
    }

    /** RMS level of all decoded audio in dBFS; -120 for digital silence or no audio. */
    public double rmsDbfs() {
        short[] s = samples();
        return dbfs(s, 0, s.length);
    }

    /** Milliseconds of 20 ms frames louder than {@link #SPEECH_THRESHOLD_DBFS}. */
    public long speechMillis() {
        return speechMillis(SPEECH_THRESHOLD_DBFS);
    }

    public long speechMillis(double thresholdDbfs) {
        short[] s = samples();
        long frames = 0;
        for (int i = 0; i + FRAME <= s.length; i += FRAME) {
            if (dbfs(s, i, FRAME) > thresholdDbfs) frames++;
        }
        return frames * 20;
    }

    /**
     * Energy of the loud (speech/tone) frames: sum over frames above {@link #SPEECH_THRESHOLD_DBFS} of the mean
     * squared normalized amplitude (0..1) × frame duration in seconds. 0 for silence. A 1 s full-scale sine ≈ 0.5.
     */
    public double speechEnergy() {
        short[] s = samples();
        double e = 0;
        for (int i = 0; i + FRAME <= s.length; i += FRAME) {
            if (dbfs(s, i, FRAME) > SPEECH_THRESHOLD_DBFS) {
                double sum = 0;
                for (int j = i; j < i + FRAME; j++) {
                    double v = s[j] / 32768.0;
                    sum += v * v;
                }
                e += sum / FRAME * 0.020;
            }
        }
        return e;
    }

    /** True if at least 200 ms of speech/tone arrived. */
    public boolean hasSpeech() {
        return speechMillis() >= 200;
    }

    /** Waits until at least n RTP packets arrived; false on timeout. */
    public boolean awaitPackets(int n, Duration max) {
        return await(() -> packets >= n, max);
    }

    /** Waits until at least ms of speech/tone arrived; false on timeout. */
    public boolean awaitSpeechMillis(long ms, Duration max) {
        return await(() -> speechMillisLocked(SPEECH_THRESHOLD_DBFS) >= ms, max);
    }

    /** Waits until these DTMF digits (RFC 4733) arrived; false on timeout. */
    public boolean awaitDtmf(String digits, Duration max) {
        return await(() -> receivedEvents.toString().contains(digits), max);
    }

    /** Waits until no packet arrived for quiet (after at least one packet); false on timeout. */
    public boolean awaitQuiet(Duration quiet, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (true) {
                long now = System.nanoTime();
                if (firstPacketNanos >= 0 && now - lastPacketNanos >= quiet.toNanos()) return true;
                if (now >= deadline) return false;
                long waitMs = Math.max(1, Math.min((deadline - now) / 1_000_000, quiet.toMillis()));
                try {
                    lock.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Waits for a condition evaluated under the sink's lock; false on timeout. */
    private boolean await(BooleanSupplier cond, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (!cond.getAsBoolean()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return false;
                try {
                    lock.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private long speechMillisLocked(double threshold) {
        long frames = 0;
        for (int i = 0; i + FRAME <= samples; i += FRAME) {
            if (dbfs(pcm, i, FRAME) > threshold) frames++;
        }
        return frames * 20;
    }

    /**
     * Milliseconds of 20 ms frames, from sample {@code fromSample} on, in which a tone of {@code hz} dominates:
     * louder than {@link #SPEECH_THRESHOLD_DBFS} and at least 40 % of the frame's power at that frequency
     * (Goertzel). Tells a participant's tone apart from hold music and from another tone.
     */
    public long toneMillis(double hz, int fromSample) {
        synchronized (lock) {
            return toneMillisLocked(hz, fromSample, FRAME);
        }
    }

    /**
     * Like {@link #toneMillis(double, int)} over 100 ms windows (10 Hz resolution instead of 50 Hz): tells apart
     * tones that close, e.g. the UK ringback's 400 Hz from the US one's 440 Hz.
     */
    public long toneMillisFine(double hz, int fromSample) {
        synchronized (lock) {
            return toneMillisLocked(hz, fromSample, 800);
        }
    }

    /** Waits until {@code ms} of the {@code hz} tone arrived after sample {@code fromSample}; false on timeout. */
    public boolean awaitToneMillis(double hz, long ms, int fromSample, Duration max) {
        return await(() -> toneMillisLocked(hz, fromSample, FRAME) >= ms, max);
    }

    /** How many samples arrived so far (a mark for {@link #toneMillis}). */
    public int sampleCount() {
        synchronized (lock) { return samples; }
    }

    private long toneMillisLocked(double hz, int from, int window) {
        long frames = 0;
        double k = 2 * Math.cos(2 * Math.PI * hz / 8000);
        for (int i = Math.max(0, from); i + window <= samples; i += window) {
            if (dbfs(pcm, i, window) <= SPEECH_THRESHOLD_DBFS) continue;
            double s1 = 0, s2 = 0, total = 0;
            for (int j = i; j < i + window; j++) {
                double x = pcm[j] / 32768.0;
                double s0 = x + k * s1 - s2;
                s2 = s1;
                s1 = s0;
                total += x * x;
            }
            double power = (s1 * s1 + s2 * s2 - k * s1 * s2) * 2 / window; // ≈ total for a pure tone at hz
            if (power >= 0.4 * total) frames++;
        }
        return frames * window / 8;
    }

    /** Where Asterisk's RTP comes from (null before the first packet). */
    public SocketAddress remote() {
        synchronized (lock) { return remote; }
    }

    /**
     * Sends one RFC 4733 digit (PT 101) to Asterisk's RTP address (needs a received packet first: call
     * {@link #awaitPackets} before). Blocks for the duration plus the 3 end packets (20 ms pacing).
     */
    public void sendDtmf(char digit, Duration duration) {
        SocketAddress to = requireRemote();
        int event = eventCode(digit);
        int ts = nextTs(0);
        int steps = (int) Math.max(1, duration.toMillis() / 20);
        try {
            for (int i = 1; i <= steps; i++) {
                send(to, 101, i == 1, ts, eventPayload(event, false, i * FRAME));
                Thread.sleep(20);
            }
            for (int i = 0; i < 3; i++) { // end packets are sent three times (RFC 4733 2.5.1.4)
                send(to, 101, false, ts, eventPayload(event, true, steps * FRAME));
            }
            synchronized (lock) { sendTs += steps * FRAME; }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends 8 kHz linear samples as PCMU, 20 ms per packet, paced in real time. */
    public void sendPcmu(short[] linear) {
        SocketAddress to = requireRemote();
        try {
            for (int i = 0; i < linear.length; i += FRAME) {
                byte[] payload = new byte[FRAME];
                for (int j = 0; j < FRAME; j++) {
                    payload[j] = linearToUlaw(i + j < linear.length ? linear[i + j] : 0);
                }
                send(to, 0, i == 0, nextTs(FRAME), payload);
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SocketAddress requireRemote() {
        SocketAddress to = remote();
        if (to == null) throw new IllegalStateException("no RTP received yet: Asterisk's RTP address is unknown");
        return to;
    }

    private int nextTs(int advance) {
        synchronized (lock) {
            int t = sendTs;
            sendTs += advance;
            return t;
        }
    }

    private void send(SocketAddress to, int pt, boolean marker, int ts, byte[] payload) {
        byte[] b = new byte[12 + payload.length];
        int seq;
        synchronized (lock) { seq = sendSeq++ & 0xFFFF; }
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | pt);
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        b[4] = (byte) (ts >> 24);
        b[5] = (byte) (ts >> 16);
        b[6] = (byte) (ts >> 8);
        b[7] = (byte) ts;
        b[8] = (byte) (ssrc >> 24);
        b[9] = (byte) (ssrc >> 16);
        b[10] = (byte) (ssrc >> 8);
        b[11] = (byte) ssrc;
        System.arraycopy(payload, 0, b, 12, payload.length);
        try {
            socket.send(new DatagramPacket(b, b.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] eventPayload(int event, boolean end, int duration) {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    }

    private static int eventCode(char d) {
        if (d >= '0' && d <= '9') return d - '0';
        return switch (Character.toUpperCase(d)) {
            case '*' -> 10;
            case '#' -> 11;
            case 'A', 'B', 'C', 'D' -> 12 + (Character.toUpperCase(d) - 'A');
            default -> throw new IllegalArgumentException("not a DTMF digit: " + d);
        };
    }

    private static char eventChar(int e) {
        if (e <= 9) return (char) ('0' + e);
        return switch (e) {
            case 10 -> '*';
            case 11 -> '#';
            case 12, 13, 14, 15 -> (char) ('A' + e - 12);
            default -> '?';
        };
    }

    /** Writes the received audio as an 8 kHz 16-bit mono WAV (debugging). */
    public void writeWav(Path file) {
        TestTones.writeWav(file, samples());
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- G.711 μ-law ----

    /** ITU-T G.711 μ-law to 16-bit linear (0xFF and 0x7F decode to 0): the server's own codec. */
    public static short ulawToLinear(byte ulaw) {
        return Ulaw.decode(ulaw);
    }

    /** 16-bit linear to μ-law: the server's own codec. */
    public static byte linearToUlaw(short sample) {
        return Ulaw.encode(sample);
    }

    static double dbfs(short[] s, int from, int n) {
        if (n <= 0) return -120.0;
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            double v = s[i] / 32768.0;
            sum += v * v;
        }
        double rms = Math.sqrt(sum / n);
        return rms <= 1e-6 ? -120.0 : 20 * Math.log10(rms);
    }
}
