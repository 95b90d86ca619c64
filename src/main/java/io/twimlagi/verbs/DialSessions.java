package io.twimlagi.verbs;

import io.twimlagi.engine.AnsweredLeg;
import io.twimlagi.engine.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Interpreter;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.twiml.HttpMethod;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Dials in progress whose answered leg calls the server back (dialplan twiml-dial-answered, by token) before
 * the bridge: to run a noun's screening {@code url} on the callee, and to keep the X- headers of the leg's 200 OK
 * for {@code DialSipHeader_*}; and, when a leg's "ringing" status callback is wanted and Asterisk sends us its SIP
 * messages (HEP), each leg reports its Call-ID as it is created (twiml-dial-leg,watch) so that its 180/183 is
 * reported as it arrives. A session lives for one Dial.
 */
public final class DialSessions {
    /** Runs a screening document on a child leg; true = connect. The interpreter's {@code screen}. */
    public interface Screener {
        boolean screen(CallContext child, String url, HttpMethod method);
    }

    /** One Dial: the caller's context, the legs, and what the answered leg reported. */
    static final class Session {
        final String token;
        final CallContext parent;
        final List<ChildLeg> legs;
        /** Each leg's Dial target without the technology, as Asterisk's DIALEDPEERNUMBER gives it. */
        final List<String> targets;
        final String from;
        volatile Map<String, String> okHeaders = Map.of();
        volatile boolean screenedOut;
        /** Legs whose creation was reported (by index), and the Call-IDs watched for ringing. */
        private final java.util.Set<Integer> created = new java.util.HashSet<>();
        private final List<String> watched = new java.util.ArrayList<>();

        Session(String token, CallContext parent, List<ChildLeg> legs, List<String> dialStrings, String from) {
            this.token = token;
            this.parent = parent;
            this.legs = List.copyOf(legs);
            this.targets = dialStrings.stream().map(d -> d.substring(d.indexOf('/') + 1)).toList();
            this.from = from;
        }

        /** The first leg dialing {@code target} not reported yet (two nouns may dial the same), or -1. */
        synchronized int claim(String target, String callId) {
            for (int i = 0; i < targets.size(); i++) {
                if (targets.get(i).equals(target) && created.add(i)) {
                    watched.add(callId);
                    return i;
                }
            }
            return -1;
        }

        synchronized List<String> watched() {
            return List.copyOf(watched);
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DialSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile Screener screener;
    private volatile io.twimlagi.webhook.CallbackSender callbacks;
    private volatile SipCapture capture;

    /** Asterisk's HEP copy of SIP messages: the legs' 180/183 (set once at startup; null: none). */
    public void capture(SipCapture c) {
        this.capture = c;
    }

    /** True when a leg's ringing can be reported as it happens: Asterisk sends us its SIP messages. */
    boolean canWatchRinging() {
        SipCapture c = capture;
        return c != null && c.live();
    }

    /** Where the legs' own status callbacks go (set once at startup; null sends none). */
    public void callbacks(io.twimlagi.webhook.CallbackSender sender) {
        this.callbacks = sender;
    }

    io.twimlagi.webhook.CallbackSender callbacks() {
        return callbacks;
    }

    /** Set once at startup (the interpreter exists after the executors). */
    public void screener(Screener s) {
        this.screener = s;
    }

    Session open(CallContext parent, List<ChildLeg> legs, List<String> dialStrings, String from) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        Session s = new Session(HexFormat.of().formatHex(b), parent, legs, dialStrings, from);
        sessions.put(s.token, s);
        return s;
    }

    void close(Session s) {
        sessions.remove(s.token);
        SipCapture c = capture;
        if (c != null) s.watched().forEach(c::stopWatching);
    }

    /** A leg was created (before its INVITE): its "ringing" callback goes when its 180/183 is captured. */
    public void created(String token, String dialed, String callId) {
        Session s = sessions.get(token);
        SipCapture c = capture;
        if (s == null || c == null || callId == null || callId.isEmpty()) return;
        int i = s.claim(dialed, callId);
        if (i < 0) {
            log.warn("{} a Dial leg to {} was created but matches no noun; its ringing is reported when it answers",
                    s.parent.callSid(), io.twimlagi.verbs.DialTargets.printable(dialed));
            return;
        }
        ChildLeg info = s.legs.get(i);
        c.onRinging(callId, () -> info.status(callbacks, s.parent, s.from, "ringing", "ringing", Map.of()));
    }

    /** A leg answered: keep its 200 OK headers, run its screening; false = do not connect it. */
    public boolean answered(Call callee, AnsweredLeg leg) {
        Session s = sessions.get(leg.token());
        if (s == null) return true; // not ours, or the Dial is over: nothing to add
        s.okHeaders = leg.okHeaders();
        // the index counts the channels Asterisk created; it is the noun's only when every noun got one
        ChildLeg info = s.legs.size() == 1 ? s.legs.get(0)
                : leg.index() >= 0 && leg.legCount() == s.legs.size() ? s.legs.get(leg.index()) : null;
        if (info == null) {
            log.warn("{} a Dial leg answered but which noun it is is unknown (a leg could not be created); "
                    + "bridged without its screening", s.parent.callSid());
            return true;
        }
        info.status(callbacks, s.parent, s.from, "ringing", "ringing", Map.of()); // it rang before it answered
        info.status(callbacks, s.parent, s.from, "answered", "in-progress", Map.of());
        if (info.sendDigits() != null) callee.sendDigits(info.sendDigits()); // before the bridge
        if (info.url() == null || screener == null) return true;
        CallContext child = info.context(s.parent, s.from, Interpreter.screened(callee), leg.sipCallId(),
                leg.okHeaders());
        boolean connect = screener.screen(child, s.parent.resolve(info.url()), info.method());
        if (!connect) s.screenedOut = true;
        return connect;
    }
}
