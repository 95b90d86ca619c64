package io.twimlagi.sip;

import io.twimlagi.util.AddressList;
import io.twimlagi.util.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What AGI cannot tell about a {@code <Dial>} leg, read from Asterisk's HEP capture (res_hep + res_hep_pjsip,
 * {@code hep.conf}): Asterisk sends a HEPv3 copy of every SIP message it sends or receives over UDP, and we keep,
 * per Call-ID of an INVITE, whether it rang (180/183, for the leg's "ringing" status callback) and the X- headers
 * of its final responses (DialSipHeader_* of a 486 or 603: Asterisk's PJSIP_RESPONSE_HEADER only sees a 200 OK);
 * and for a {@code <Refer>} on a call's own dialog, the response to the REFER and the NOTIFYs' sipfrag codes
 * (Asterisk's Transfer() reports one code without saying which message it came from).
 *
 * <p>Bounded: final responses of the newest {@value #MAX_DIALOGS} Call-IDs (2 each, their X- headers capped by
 * SipMessage); ringing watchers and REFER watches exist only for our own Dials and Refers in progress and are
 * removed when they end, so a flood of stray SIP (res_hep_pjsip copies whatever reaches Asterisk) can only evict
 * old final responses. A lost or forged datagram can only lose or change that detail, never a call's flow: the
 * listener binds to loopback by default, drops packets whose source is not Asterisk's ({@code sip_capture_allow},
 * loopback by default) and, with a {@code capture_password}, packets without it.
 */
public final class SipCapture implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipCapture.class);
    static final int MAX_DIALOGS = 4096;
    static final int MAX_HEADERS = SipMessage.MAX_HEADERS;
    /** No packet for this long: Asterisk is not sending (hep.conf off), so nobody waits for one. */
    private static final long LIVE_NANOS = Duration.ofMinutes(10).toNanos();

    /** A final response to an INVITE: its code and X- headers in message order (first value per name). */
    public record FinalResponse(int code, Map<String, String> xHeaders) {
    }

    /**
     * A REFER we sent on a call's dialog: the final response to it (0 = none seen), the status code of the last
     * sipfrag NOTIFY (0 = none), and {@code over} once refused, a final sipfrag came, the subscription was
     * terminated, or the REFER was accepted with {@code Refer-Sub: false}.
     */
    public record ReferOutcome(int referResponse, int lastNotify, boolean over) {
    }

    /** A REFER being watched. Guarded by the capture's lock. */
    private static final class ReferWatch {
        long cseq = -1; // of our REFER once its request was seen: other REFER transactions are not ours
        int response;
        int lastNotify;
        boolean over;
    }

    private final byte[] password;
    /** Who may send HEP (sip_capture_allow): Asterisk's address(es). Others are dropped before parsing. */
    private final AddressList allow;
    private final LogThrottle strangers = new LogThrottle(Duration.ofMinutes(1), 1);
    private final AtomicLong droppedFromStrangers = new AtomicLong();
    /** Final responses to INVITEs by Call-ID, newest 2 each, the newest Call-IDs only. */
    private final Map<String, List<FinalResponse>> finals = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<FinalResponse>> eldest) {
            return size() > MAX_DIALOGS;
        }
    };
    private final Map<String, List<Runnable>> ringWatchers = new HashMap<>();
    private final Map<String, ReferWatch> refers = new HashMap<>();
    private volatile long lastPacketNanos;
    private volatile boolean everReceived;
    private DatagramSocket socket;

    /** A capture fed by {@link #accept}, listening to loopback senders only. */
    public SipCapture(String password) {
        this(password, AddressList.LOOPBACK);
    }

    /**
     * {@code password} null or empty accepts packets without one; {@code allow} are the source addresses packets
     * may come from (Asterisk's), others are dropped silently (counted, logged at most once a minute).
     */
    public SipCapture(String password, AddressList allow) {
        this.password = password == null || password.isEmpty() ? null : password.getBytes(StandardCharsets.UTF_8);
        this.allow = allow;
    }

    /**
     * Listens for HEP on {@code bind} (once). A port that cannot be bound is logged and leaves the capture empty:
     * Dial then reports only what AGI gives (headers of a 200 OK), Refer infers its codes.
     */
    public synchronized void listen(InetSocketAddress bind) {
        if (socket != null) throw new IllegalStateException("already listening");
        try {
            DatagramSocket s = new DatagramSocket(bind);
            s.setReceiveBufferSize(4 << 20);
            socket = s;
            Thread t = new Thread(() -> receive(s), "sip-capture");
            t.setDaemon(true);
            t.start();
            log.info("SIP capture (HEP) listening on udp {}", bind);
            if (!bind.getAddress().isLoopbackAddress() && password == null) {
                log.warn("SIP capture listens on {} without sip_capture_password: anyone who can reach it can "
                        + "change the DialSipHeader_* and Refer codes the app gets", bind);
            }
        } catch (IOException e) {
            log.warn("SIP capture (HEP) cannot listen on udp {}: {}; DialSipHeader_* only from a 200 OK, a leg's "
                    + "ringing reported when it answers, Refer codes inferred", bind, e.getMessage());
        }
    }

    private void receive(DatagramSocket s) {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!s.isClosed()) {
            try {
                p.setLength(buf.length);
                s.receive(p);
                if (!allow.contains(p.getAddress())) {
                    stranger(p.getAddress().getHostAddress());
                    continue;
                }
                accept(buf, p.getLength());
            } catch (IOException e) {
                if (!s.isClosed()) log.warn("SIP capture: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("SIP capture: dropped a malformed packet ({})", e.toString());
            } catch (Error e) { // e.g. out of memory: keep going, never leave a dead listener that looks alive
                log.error("SIP capture: {}", e.toString());
            }
        }
        everReceived = false;
    }

    /** A packet from a source not in sip_capture_allow: dropped unread. */
    private void stranger(String source) {
        droppedFromStrangers.incrementAndGet();
        long n = strangers.hit("");
        if (n > 0) {
            log.warn("SIP capture: dropped {} HEP packet(s) from sources not in sip_capture_allow ({}), last from {}",
                    n, allow, source);
        }
    }

    /** Packets dropped so far because their source is not in sip_capture_allow. */
    public long droppedFromStrangers() {
        return droppedFromStrangers.get();
    }

    /** One HEP packet. Anything that is not HEPv3 with a SIP payload (and our password) is ignored. */
    public void accept(byte[] buf, int len) {
        String sip = HepPacket.sipPayload(buf, len, password);
        if (sip == null) return;
        lastPacketNanos = System.nanoTime();
        everReceived = true;
        SipMessage m = SipMessage.parse(sip);
        if (m == null) return;
        List<Runnable> fire = null;
        synchronized (this) {
            switch (m.cseqMethod()) {
                case "INVITE" -> {
                    if (m.status() == 180 || m.status() == 183) fire = ringWatchers.remove(m.callId());
                    else if (m.status() >= 200) finalResponse(m);
                }
                case "REFER" -> refer(m);
                case "NOTIFY" -> referNotify(m);
                default -> {
                    // OPTIONS, BYE, REGISTER...: nothing we use
                }
            }
        }
        if (fire != null) fire.forEach(SipCapture::run);
    }

    private void finalResponse(SipMessage m) {
        List<FinalResponse> list = finals.computeIfAbsent(m.callId(), k -> new ArrayList<>(2));
        if (list.size() >= 2) list.remove(0);
        list.add(new FinalResponse(m.status(), m.xHeaders()));
        notifyAll();
    }

    /** Our REFER (request) and the response to it, on a watched dialog. */
    private void refer(SipMessage m) {
        ReferWatch w = refers.get(m.callId());
        if (w == null) return;
        if (m.method() != null) { // the REFER Asterisk sends (again with a new CSeq after a 401/407 challenge)
            w.cseq = m.cseq();
            return;
        }
        if (w.cseq >= 0 && m.cseq() != w.cseq) return; // another REFER transaction on the dialog
        if (m.status() < 200 || m.status() == 401 || m.status() == 407) return; // pjsip retries a challenge
        w.response = m.status();
        if (m.status() >= 300 || m.referSubFalse()) w.over = true;
        notifyAll();
    }

    /** A NOTIFY of our REFER's subscription (Event: refer, id = our REFER's CSeq when given). */
    private void referNotify(SipMessage m) {
        ReferWatch w = refers.get(m.callId());
        if (w == null || m.method() == null || !"refer".equalsIgnoreCase(m.event())) return;
        if (w.cseq >= 0 && m.eventId() != null && !m.eventId().equals(Long.toString(w.cseq))) return;
        if (m.sipfrag() > 0) w.lastNotify = m.sipfrag();
        if (m.sipfrag() >= 200 || m.terminated()) w.over = true;
        notifyAll();
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
                List<FinalResponse> list = finals.get(callId);
                if (list != null) {
                    for (int i = list.size() - 1; i >= 0; i--) {
                        if (list.get(i).code() == code) return list.get(i);
                    }
                }
                if (!await(deadline)) return null;
            }
        }
    }

    /** Runs {@code then} once when the INVITE of {@code callId} gets its first 180/183 (register before it). */
    public synchronized void onRinging(String callId, Runnable then) {
        if (callId == null || callId.isEmpty()) return;
        ringWatchers.computeIfAbsent(callId, k -> new ArrayList<>(1)).add(then);
    }

    /** How many legs are watched for their 180/183 now (diagnostics: it must not grow with finished calls). */
    public synchronized int watchedForRinging() {
        return ringWatchers.size();
    }

    /** Drops the ringing watchers of a leg whose Dial is over. */
    public synchronized void stopWatching(String callId) {
        if (callId != null) ringWatchers.remove(callId);
    }

    /** Starts watching the REFER about to be sent on the dialog {@code callId} (a call's own Call-ID). */
    public synchronized void referStarting(String callId) {
        if (callId == null || callId.isEmpty()) return;
        refers.put(callId, new ReferWatch());
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
            ReferWatch w = refers.get(callId);
            while (w != null && !w.over && await(deadline)) {
                w = refers.get(callId);
            }
            refers.remove(callId);
            return w == null || w.response == 0 ? null : new ReferOutcome(w.response, w.lastNotify, w.over);
        }
    }

    /** Stops watching the REFER on {@code callId} (the Refer ended without asking for its outcome). */
    public synchronized void stopReferWatch(String callId) {
        if (callId != null) refers.remove(callId);
    }

    /** Waits on this capture's lock until notified or {@code deadline}; false once it has passed. */
    private boolean await(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        try {
            wait(Math.max(1, left / 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when Asterisk sent us a packet recently (hep.conf points here) and the listener runs. */
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
    public synchronized void close() {
        if (socket != null) socket.close();
    }
}
