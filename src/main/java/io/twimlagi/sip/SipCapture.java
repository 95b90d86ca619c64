package io.twimlagi.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What AGI cannot tell about a {@code <Dial>} leg, read from Asterisk's HEP capture (res_hep + res_hep_pjsip,
 * {@code hep.conf}): Asterisk sends a HEPv3 copy of every SIP message it sends or receives over UDP, and we keep,
 * per Call-ID of an INVITE, whether it rang (180/183, for the leg's "ringing" status callback) and the X- headers
 * of its final responses (DialSipHeader_* of a 486 or 603: Asterisk's PJSIP_RESPONSE_HEADER only sees a 200 OK).
 *
 * <p>Bounded: the newest {@value #MAX_DIALOGS} Call-IDs, {@value #MAX_HEADERS} X- headers per response. A lost or
 * forged datagram can only lose or change that detail, never affect a call's flow: the listener binds to loopback
 * by default and, with a {@code capture_password}, drops packets without it.
 */
public final class SipCapture implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipCapture.class);
    static final int MAX_DIALOGS = 10_000;
    static final int MAX_HEADERS = 32;
    static final int MAX_VALUE = 1024;
    /** No packet for this long: Asterisk is not sending (hep.conf off), so nobody waits for one. */
    private static final long LIVE_NANOS = Duration.ofMinutes(10).toNanos();

    /** A final response to an INVITE: its code and X- headers in message order (first value per name). */
    public record FinalResponse(int code, Map<String, String> xHeaders) {
    }

    /** What we know of one INVITE dialog (by Call-ID). Guarded by the capture's lock. */
    private static final class Dialog {
        boolean rang;
        final List<FinalResponse> finals = new ArrayList<>(2);
        final List<Runnable> ringWatchers = new ArrayList<>(1);
    }

    private final byte[] password;
    private final Map<String, Dialog> dialogs = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Dialog> eldest) {
            return size() > MAX_DIALOGS;
        }
    };
    private volatile long lastPacketNanos;
    private volatile boolean everReceived;
    private DatagramSocket socket;

    /** A capture fed by {@link #accept}; {@code password} null or empty accepts packets without one. */
    public SipCapture(String password) {
        this.password = password == null || password.isEmpty() ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Listens for HEP on {@code bind}. A port that cannot be bound is logged and leaves the capture empty: Dial
     * then reports only what AGI gives (headers of a 200 OK).
     */
    public static SipCapture listen(InetSocketAddress bind, String password) {
        SipCapture c = new SipCapture(password);
        try {
            DatagramSocket s = new DatagramSocket(bind);
            s.setReceiveBufferSize(4 << 20);
            c.socket = s;
            Thread t = new Thread(() -> c.receive(s), "sip-capture");
            t.setDaemon(true);
            t.start();
            log.info("SIP capture (HEP) listening on udp {}", bind);
        } catch (IOException e) {
            log.warn("SIP capture (HEP) cannot listen on udp {}: {}; DialSipHeader_* only from a 200 OK, a leg's "
                    + "ringing reported when it answers", bind, e.getMessage());
        }
        return c;
    }

    private void receive(DatagramSocket s) {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!s.isClosed()) {
            try {
                p.setLength(buf.length);
                s.receive(p);
                accept(buf, p.getLength());
            } catch (IOException e) {
                if (!s.isClosed()) log.warn("SIP capture: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("SIP capture: dropped a malformed packet ({})", e.toString());
            }
        }
    }

    /** One HEP packet. Anything that is not HEPv3 with a SIP payload (and our password) is ignored. */
    public void accept(byte[] buf, int len) {
        String sip = sipPayload(buf, len, password);
        if (sip == null) return;
        lastPacketNanos = System.nanoTime();
        everReceived = true;
        SipMessage m = SipMessage.parse(sip);
        if (m == null || m.callId() == null || !"INVITE".equals(m.cseqMethod())) return;
        List<Runnable> fire = List.of();
        synchronized (this) {
            Dialog d = dialogs.computeIfAbsent(m.callId(), k -> new Dialog());
            if (m.status() == 180 || m.status() == 183) {
                if (!d.rang) {
                    d.rang = true;
                    fire = List.copyOf(d.ringWatchers);
                    d.ringWatchers.clear();
                }
            } else if (m.status() >= 200) {
                if (d.finals.size() >= 4) d.finals.remove(0);
                d.finals.add(new FinalResponse(m.status(), m.xHeaders()));
                notifyAll();
            }
        }
        fire.forEach(SipCapture::run);
    }

    /**
     * The final response {@code code} to the INVITE of {@code callId}, waiting up to {@code wait} for its packet
     * (Asterisk sends it from its own queue, a little after the Dial learns the code); null when it was not
     * captured, and at once when Asterisk is not sending HEP at all.
     */
    public FinalResponse finalResponse(String callId, int code, Duration wait) {
        if (callId == null || callId.isEmpty()) return null;
        long deadline = System.nanoTime() + (live() ? wait.toNanos() : 0);
        synchronized (this) {
            while (true) {
                Dialog d = dialogs.get(callId);
                if (d != null) {
                    for (int i = d.finals.size() - 1; i >= 0; i--) {
                        if (d.finals.get(i).code() == code) return d.finals.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /** Runs {@code then} once when the INVITE of {@code callId} gets a 180/183 (at once if it already has). */
    public void onRinging(String callId, Runnable then) {
        if (callId == null || callId.isEmpty()) return;
        boolean now;
        synchronized (this) {
            Dialog d = dialogs.computeIfAbsent(callId, k -> new Dialog());
            now = d.rang;
            if (!now) d.ringWatchers.add(then);
        }
        if (now) run(then);
    }

    /** Drops the watchers of a leg whose Dial is over. */
    public synchronized void stopWatching(String callId) {
        Dialog d = callId == null ? null : dialogs.get(callId);
        if (d != null) d.ringWatchers.clear();
    }

    /** True when Asterisk sent us a packet recently (hep.conf points here). */
    public boolean live() {
        return everReceived && System.nanoTime() - lastPacketNanos < LIVE_NANOS;
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("SIP capture: a ringing watcher failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (socket != null) socket.close();
    }

    /**
     * The SIP text of a HEPv3 packet ({@code "HEP3"}, total length, then chunks of vendor, type, length incl. the
     * 6-byte chunk header, value): chunk 11 is the protocol (1 = SIP), 14 the auth key, 15 the payload.
     */
    static String sipPayload(byte[] b, int len, byte[] password) {
        if (len < 6 || b[0] != 'H' || b[1] != 'E' || b[2] != 'P' || b[3] != '3') return null;
        int total = Math.min(len, u16(b, 4));
        int i = 6;
        int proto = -1;
        byte[] key = null;
        String payload = null;
        while (i + 6 <= total) {
            int vendor = u16(b, i);
            int type = u16(b, i + 2);
            int clen = u16(b, i + 4);
            if (clen < 6 || i + clen > total) return null;
            if (vendor == 0) {
                if (type == 11 && clen == 7) proto = b[i + 6] & 0xff;
                if (type == 14) key = java.util.Arrays.copyOfRange(b, i + 6, i + clen);
                if (type == 15) payload = new String(b, i + 6, clen - 6, StandardCharsets.UTF_8);
            }
            i += clen;
        }
        if (password != null && (key == null || !MessageDigest.isEqual(trimNul(key), password))) return null;
        return proto == 1 ? payload : null;
    }

    private static byte[] trimNul(byte[] k) {
        int n = k.length;
        while (n > 0 && k[n - 1] == 0) n--;
        return n == k.length ? k : java.util.Arrays.copyOf(k, n);
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    /** The parts of a SIP message we use. {@code status} is 0 for a request. */
    record SipMessage(int status, String callId, String cseqMethod, Map<String, String> xHeaders) {
        static SipMessage parse(String text) {
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String[] lines = head.split("\r\n");
            if (lines.length == 0) return null;
            int status = 0;
            if (lines[0].startsWith("SIP/2.0 ")) {
                String[] parts = lines[0].split(" ", 3);
                if (parts.length < 2 || !parts[1].matches("[1-6]\\d\\d")) return null;
                status = Integer.parseInt(parts[1]);
            }
            String callId = null;
            String method = null;
            Map<String, String> x = new LinkedHashMap<>();
            for (int n = 1; n < lines.length; n++) {
                String line = lines[n];
                int colon = line.indexOf(':');
                if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') continue; // folding: not used
                String name = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (name.equalsIgnoreCase("Call-ID") || name.equals("i")) {
                    callId = value;
                } else if (name.equalsIgnoreCase("CSeq")) {
                    String[] cs = value.split("\\s+");
                    method = cs.length == 2 ? cs[1] : null;
                } else if (status >= 200 && SipHeaders.isReported(name) && SipHeaders.isToken(name)
                        && x.size() < MAX_HEADERS && value.length() <= MAX_VALUE) {
                    x.putIfAbsent(name, value);
                }
            }
            return new SipMessage(status, callId, method,
                    x.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(x));
        }
    }
}
