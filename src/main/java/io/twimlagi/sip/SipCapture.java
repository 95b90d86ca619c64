package io.twimlagi.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What AGI cannot tell about a {@code <Dial>} leg, read from Asterisk's HEP capture (res_hep + res_hep_pjsip,
 * {@code hep.conf}): Asterisk sends a HEPv3 copy of every SIP message it sends or receives over UDP, and we keep,
 * per Call-ID of an INVITE, whether it rang (180/183, for the leg's "ringing" status callback) and the X- headers
 * of its final responses (DialSipHeader_* of a 486 or 603: Asterisk's PJSIP_RESPONSE_HEADER only sees a 200 OK);
 * and for a {@code <Refer>} on a call's own dialog, the response to the REFER and the NOTIFYs' sipfrag codes
 * (Asterisk's Transfer() reports one code without saying which message it came from).
 *
 * <p>Bounded: the newest {@value #MAX_DIALOGS} Call-IDs, {@value #MAX_HEADERS} X- headers per response. A lost or
 * forged datagram can only lose or change that detail, never affect a call's flow: the listener binds to loopback
 * by default and, with a {@code capture_password}, drops packets without it.
 */
public final class SipCapture implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipCapture.class);
    static final int MAX_DIALOGS = 10_000;
    static final int MAX_HEADERS = SipMessage.MAX_HEADERS;
    private static final int MAX_NOTIFIES = 16;
    /** No packet for this long: Asterisk is not sending (hep.conf off), so nobody waits for one. */
    private static final long LIVE_NANOS = Duration.ofMinutes(10).toNanos();

    /** A final response to an INVITE: its code and X- headers in message order (first value per name). */
    public record FinalResponse(int code, Map<String, String> xHeaders) {
    }

    /**
     * A REFER we sent on a call's dialog: the final response to it (0 = none yet) and the status codes of the
     * sipfrag NOTIFYs that followed, in order; {@code over} once refused, a final sipfrag came, or the
     * subscription was terminated.
     */
    public record ReferOutcome(int referResponse, List<Integer> notifyCodes, boolean over) {
        public ReferOutcome {
            notifyCodes = List.copyOf(notifyCodes);
        }
    }

    /** What we know of one dialog (by Call-ID). Guarded by the capture's lock. */
    private static final class Dialog {
        boolean rang;
        final List<FinalResponse> finals = new ArrayList<>(2);
        final List<Runnable> ringWatchers = new ArrayList<>(1);
        /** The REFER in progress (from {@link #referStarting}), null when none is watched. */
        int referResponse;
        final List<Integer> notifyCodes = new ArrayList<>(2);
        boolean referOver;
        boolean referWatched;
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
        String sip = HepPacket.sipPayload(buf, len, password);
        if (sip == null) return;
        lastPacketNanos = System.nanoTime();
        everReceived = true;
        SipMessage m = SipMessage.parse(sip);
        if (m == null || m.callId() == null || m.cseqMethod() == null) return;
        List<Runnable> fire = List.of();
        synchronized (this) {
            switch (m.cseqMethod()) {
                case "INVITE" -> fire = invite(m);
                case "REFER" -> refer(m);
                case "NOTIFY" -> referNotify(m);
                default -> {
                    // OPTIONS, BYE, REGISTER...: nothing we use
                }
            }
        }
        fire.forEach(SipCapture::run);
    }

    /** An INVITE or a response to one: ringing, final responses. Returns the watchers to run (outside the lock). */
    private List<Runnable> invite(SipMessage m) {
        Dialog d = dialogs.computeIfAbsent(m.callId(), k -> new Dialog());
        if (m.status() == 180 || m.status() == 183) {
            if (d.rang) return List.of();
            d.rang = true;
            List<Runnable> fire = List.copyOf(d.ringWatchers);
            d.ringWatchers.clear();
            return fire;
        }
        if (m.status() >= 200) {
            if (d.finals.size() >= 4) d.finals.remove(0);
            d.finals.add(new FinalResponse(m.status(), m.xHeaders()));
            notifyAll();
        }
        return List.of();
    }

    /** The final response to a REFER on a watched dialog. */
    private void refer(SipMessage m) {
        Dialog d = dialogs.get(m.callId());
        if (d == null || !d.referWatched || m.status() < 200) return;
        d.referResponse = m.status();
        if (m.status() >= 300) d.referOver = true;
        notifyAll();
    }

    /** A NOTIFY of a REFER subscription (Event: refer) on a watched dialog. */
    private void referNotify(SipMessage m) {
        Dialog d = dialogs.get(m.callId());
        if (d == null || !d.referWatched || m.method() == null || !"refer".equalsIgnoreCase(m.event())) return;
        if (m.sipfrag() > 0 && d.notifyCodes.size() < MAX_NOTIFIES) d.notifyCodes.add(m.sipfrag());
        if (m.sipfrag() >= 200 || m.terminated()) d.referOver = true;
        notifyAll();
    }

    /** Starts watching the REFER about to be sent on the dialog {@code callId} (a call's own Call-ID). */
    public synchronized void referStarting(String callId) {
        if (callId == null || callId.isEmpty()) return;
        Dialog d = dialogs.computeIfAbsent(callId, k -> new Dialog());
        d.referWatched = true;
        d.referResponse = 0;
        d.notifyCodes.clear();
        d.referOver = false;
    }

    /**
     * What was captured of the watched REFER on {@code callId}, waiting up to {@code wait} for it to be over
     * (its packets come a little after Asterisk's Transfer() returns); null when nothing answered the REFER (not
     * captured, or Asterisk is not sending HEP). Stops watching.
     */
    public ReferOutcome referOutcome(String callId, Duration wait) {
        if (callId == null || callId.isEmpty()) return null;
        long deadline = System.nanoTime() + (live() ? wait.toNanos() : 0);
        synchronized (this) {
            Dialog d = dialogs.get(callId);
            while (d != null && !d.referOver) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                d = dialogs.get(callId);
            }
            if (d == null || !d.referWatched) return null;
            d.referWatched = false;
            if (d.referResponse == 0) return null;
            return new ReferOutcome(d.referResponse, d.notifyCodes, d.referOver);
        }
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

}
