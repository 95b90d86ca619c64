package io.twimlagi.dial;

import io.twimlagi.call.AnsweredLeg;
import io.twimlagi.call.Call;
import io.twimlagi.call.DialLegListener;
import io.twimlagi.engine.CallContext;
import io.twimlagi.sip.SipCapture;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Dials in progress whose legs call the server back, by token: the dialplan's twiml-dial-answered routine
 * (a leg answered, before the bridge) and twiml-dial-leg,watch handler (a leg was created, before its INVITE)
 * name the Dial by the token they were given. Each callback is handed to its {@link DialSession}.
 */
public final class DialSessions implements DialLegListener {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, DialSession> sessions = new ConcurrentHashMap<>();
    private final SipCapture capture;
    private final Screener screening;

    /**
     * @param capture   Asterisk's HEP copy of SIP messages (the legs' 180/183); null: none
     * @param screening runs a noun's screening url on the answered leg; null: connect without it
     */
    public DialSessions(SipCapture capture, Screener screening) {
        this.capture = capture;
        this.screening = screening;
    }

    /** How the answered legs are screened (null: not at all). */
    public Screener screening() {
        return screening;
    }

    /** A session for a Dial; {@code register}: its legs will call back with its token. Close it when done. */
    DialSession open(CallContext parent, List<ChildLeg> legs, boolean register) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        DialSession s = new DialSession(HexFormat.of().formatHex(b), parent, legs, capture, screening);
        if (register) sessions.put(s.token, s);
        return s;
    }

    /** The Dial is over: later callbacks with its token are not its. */
    void close(DialSession s) {
        sessions.remove(s.token, s);
        s.close();
    }

    /** Dials in progress that legs may call back (tests, metrics). */
    int open() {
        return sessions.size();
    }

    @Override
    public void created(String token, String dialed, String callId) {
        DialSession s = sessions.get(token);
        if (s != null) s.legCreated(dialed, callId);
    }

    /** Not ours (or the Dial is over): connect, nothing to add. */
    @Override
    public boolean answered(Call callee, AnsweredLeg leg) {
        DialSession s = sessions.get(leg.token());
        return s == null || s.answered(callee, leg);
    }
}
