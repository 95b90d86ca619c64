package io.twimlagi.dial;

import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.StatusCallbackEmitter;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twilio.Sids;
import io.twimlagi.twiml.Client;
import io.twimlagi.twiml.DialNoun;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Number;
import io.twimlagi.twiml.Sip;
import io.twimlagi.webhook.CallbackSender;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One leg of a {@code <Dial>} as Twilio presents it: a child call with its own CallSid, its parameters
 * ({@code Direction=outbound-dial}, {@code ParentCallSid}, To = what was dialed) and the noun's own settings:
 * screening {@code url}, {@code sendDigits}, and {@code statusCallback} with its events (initiated, ringing,
 * answered, completed; {@code completed} alone when none are listed), each sent at most once. Its events are
 * handled on its {@link DialSession}'s thread, one at a time.
 */
final class ChildLeg {
    /** What a noun asks of its leg. */
    record Noun(String to, String url, HttpMethod method, boolean sip, String sendDigits, String statusCallback,
                HttpMethod statusCallbackMethod, Set<String> events) {
        static Noun of(DialNoun noun) {
            if (noun instanceof Number n) {
                return new Noun(n.number(), n.url(), n.method(), false, n.sendDigits(), n.statusCallback(),
                        n.statusCallbackMethod(), n.statusCallbackEvent());
            }
            if (noun instanceof Sip s) {
                return new Noun(s.uri(), s.url(), s.method(), true, null, s.statusCallback(),
                        s.statusCallbackMethod(), s.statusCallbackEvent());
            }
            if (noun instanceof Client c) {
                return new Noun("client:" + c.identity(), c.url(), c.method(), false, null, c.statusCallback(),
                        c.statusCallbackMethod(), c.statusCallbackEvent());
            }
            return new Noun("", null, null, false, null, null, null, Set.of());
        }
    }

    private final String callSid = Sids.newCallSid();
    private final Noun noun;
    private final CallContext parent;
    private final String from;
    private final StatusCallbackEmitter callbacks;
    private final CallLog callLog;
    private final Set<String> sent = new HashSet<>();
    /** Answered or over: a "ringing" now would be out of order. */
    private boolean pastRinging;
    /** Its record was started in the call log. */
    private boolean logged;

    /** URLs resolve against the parent's current document; {@code from} is the legs' From (the callerId). */
    ChildLeg(Noun noun, CallContext parent, String from, CallbackSender sender, CallLog callLog) {
        this.noun = noun;
        this.callLog = callLog;
        this.parent = parent;
        this.from = from;
        Set<String> events = noun.statusCallback() == null ? Set.of()
                : noun.events().isEmpty() ? Set.of("completed") : noun.events();
        this.callbacks = noun.statusCallback() == null ? StatusCallbackEmitter.none()
                : new StatusCallbackEmitter(sender, callSid, "child status callback",
                        parent.resolve(noun.statusCallback()), noun.statusCallbackMethod(), events, true);
    }

    String callSid() { return callSid; }
    Noun noun() { return noun; }

    /** True when this leg's statusCallbackEvent lists "ringing". */
    boolean wantsRinging() {
        return callbacks.wants("ringing");
    }

    /** True when this leg's answer must be reported to us before the bridge (ringing/answered callbacks). */
    boolean wantsAnswerEvents() {
        return callbacks.wants("ringing") || callbacks.wants("answered");
    }

    /**
     * Who the child call is: its INVITE as Twilio reports it (the leg's Call-ID, and for {@code <Sip>} the X- headers
     * of its 200 OK as SipHeader_*).
     */
    CallIdentity identity(String sipCallId, Map<String, String> okHeaders) {
        SipInvite p = parent.invite();
        return parent.identity().child(callSid, new SipInvite(noun.to(), from, p.domain(),
                sipCallId == null ? "" : sipCallId, p.sourceIp(), noun.sip() ? okHeaders : Map.of()));
    }

    /** The child call on {@code callee} (the answered leg), for its screening document. */
    CallContext context(Call callee, String sipCallId, Map<String, String> okHeaders) {
        return new CallContext(callee, identity(sipCallId, okHeaders));
    }

    /** The child call's record in the call log (the REST API lists Dial legs too). */
    private void record(String event, String callStatus, Map<String, String> extra) {
        switch (event) {
            case "initiated" -> {
                if (logged) return;
                logged = true;
                callLog.started(identity(null, Map.of()), "queued");
                callLog.dialing(callSid);
            }
            case "answered" -> callLog.answered(callSid);
            case "completed" -> callLog.ended(callSid, callStatus, number(extra.get("CallDuration")),
                    number(extra.get("SipResponseCode")));
            default -> {
                // ringing: the record says ringing from the start
            }
        }
    }

    private static int number(String s) {
        return s == null ? 0 : Integer.parseInt(s);
    }

    /**
     * Sends one status callback when this leg's statusCallbackEvent lists {@code event} and it was not sent yet;
     * {@code extra} adds CallDuration, SipResponseCode...
     */
    void status(String event, String callStatus, Map<String, String> extra) {
        if ("ringing".equals(event) && pastRinging) return;
        if ("answered".equals(event) || "completed".equals(event)) pastRinging = true;
        record(event, callStatus, extra);
        if (!callbacks.wants(event) || !sent.add(event)) return;
        Map<String, String> p = identity(null, Map.of()).params(callStatus);
        p.remove("SipCallId");
        p.putAll(extra);
        callbacks.emit(event, p);
    }
}
