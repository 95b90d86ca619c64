package io.twimlagi.verbs;

import io.twimlagi.engine.AnsweredLeg;
import io.twimlagi.engine.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Interpreter;
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
 * for {@code DialSipHeader_*}. A session lives for one Dial.
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
        final String from;
        volatile Map<String, String> okHeaders = Map.of();
        volatile boolean screenedOut;

        Session(String token, CallContext parent, List<ChildLeg> legs, String from) {
            this.token = token;
            this.parent = parent;
            this.legs = List.copyOf(legs);
            this.from = from;
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DialSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile Screener screener;
    private volatile io.twimlagi.webhook.CallbackSender callbacks;

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

    Session open(CallContext parent, List<ChildLeg> legs, String from) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        Session s = new Session(HexFormat.of().formatHex(b), parent, legs, from);
        sessions.put(s.token, s);
        return s;
    }

    void close(Session s) {
        sessions.remove(s.token);
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
