package io.twimlagi.verbs;

import io.twimlagi.engine.AnsweredLeg;
import io.twimlagi.engine.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Interpreter;
import io.twimlagi.sip.SipInvite;
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

    /**
     * What one leg of the Dial is: its child CallSid, what was dialed, its screening URL (or null), and the DTMF
     * to send when it answers ({@code <Number sendDigits>}, validated by the parser, or null).
     */
    record LegInfo(String callSid, String to, String url, HttpMethod method, boolean sip, String sendDigits) {
    }

    /** One Dial: the caller's context, the legs, and what the answered leg reported. */
    static final class Session {
        final String token;
        final CallContext parent;
        final List<LegInfo> legs;
        final String from;
        volatile Map<String, String> okHeaders = Map.of();
        volatile boolean screenedOut;

        Session(String token, CallContext parent, List<LegInfo> legs, String from) {
            this.token = token;
            this.parent = parent;
            this.legs = List.copyOf(legs);
            this.from = from;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile Screener screener;

    /** Set once at startup (the interpreter exists after the executors). */
    public void screener(Screener s) {
        this.screener = s;
    }

    Session open(CallContext parent, List<LegInfo> legs, String from) {
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
        LegInfo info = leg.index() >= 0 && leg.index() < s.legs.size() ? s.legs.get(leg.index())
                : s.legs.size() == 1 ? s.legs.get(0) : null;
        if (info != null && info.sendDigits() != null) callee.sendDigits(info.sendDigits()); // before the bridge
        if (info == null || info.url() == null || screener == null) return true;
        CallContext child = childContext(s, info, leg, callee);
        boolean connect = screener.screen(child, s.parent.resolve(info.url()), info.method());
        if (!connect) s.screenedOut = true;
        return connect;
    }

    /** The child leg's request parameters, as Twilio sends them to a screening URL. */
    private static CallContext childContext(Session s, LegInfo info, AnsweredLeg leg, Call callee) {
        SipInvite parentInvite = s.parent.invite();
        SipInvite invite = new SipInvite(info.to(), s.from, parentInvite.domain(), leg.sipCallId(),
                parentInvite.sourceIp(), info.sip() ? leg.okHeaders() : Map.of());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("Direction", "outbound-dial");
        extra.put("ParentCallSid", s.parent.callSid());
        extra.put("CallStatus", "in-progress");
        return new CallContext(Interpreter.screened(callee), info.callSid(), s.parent.params().get("AccountSid"),
                invite, s.parent.domain()).withParams(extra);
    }
}
