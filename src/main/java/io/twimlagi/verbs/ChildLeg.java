package io.twimlagi.verbs;

import io.twimlagi.config.Sids;
import io.twimlagi.engine.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.recording.RecordingCallbackParams;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.Client;
import io.twimlagi.twiml.DialNoun;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Number;
import io.twimlagi.twiml.Sip;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookRequest;

import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One leg of a {@code <Dial>} as Twilio presents it: a child call with its own CallSid, its parameters
 * ({@code Direction=outbound-dial}, {@code ParentCallSid}, To = what was dialed) and the noun's own settings:
 * screening {@code url}, {@code sendDigits}, and {@code statusCallback} with its events (initiated, ringing,
 * answered, completed; {@code completed} alone when none are listed), each sent at most once; they are sent
 * asynchronously and may arrive out of order, so {@code SequenceNumber} orders them (as on Twilio).
 */
final class ChildLeg {
    private final String callSid = Sids.newCallSid();
    private final String to;
    private final String url;
    private final HttpMethod method;
    private final boolean sip;
    private final String sendDigits;
    private final String statusCallback;
    private final HttpMethod statusCallbackMethod;
    private final Set<String> events;
    private final AtomicInteger sequence = new AtomicInteger();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    /** Answered or over: a "ringing" now would be out of order. Guarded by this. */
    private boolean pastRinging;

    private ChildLeg(String to, String url, HttpMethod method, boolean sip, String sendDigits, String statusCallback,
                     HttpMethod statusCallbackMethod, Set<String> events) {
        this.to = to;
        this.url = url;
        this.method = method;
        this.sip = sip;
        this.sendDigits = sendDigits;
        this.statusCallback = statusCallback;
        this.statusCallbackMethod = statusCallbackMethod == null ? HttpMethod.POST : statusCallbackMethod;
        this.events = statusCallback == null ? Set.of() : events.isEmpty() ? Set.of("completed") : Set.copyOf(events);
    }

    static ChildLeg of(DialNoun noun) {
        if (noun instanceof Number n) {
            return new ChildLeg(n.number(), n.url(), n.method(), false, n.sendDigits(), n.statusCallback(),
                    n.statusCallbackMethod(), n.statusCallbackEvent());
        }
        if (noun instanceof Sip s) {
            return new ChildLeg(s.uri(), s.url(), s.method(), true, null, s.statusCallback(), s.statusCallbackMethod(),
                    s.statusCallbackEvent());
        }
        if (noun instanceof Client c) {
            return new ChildLeg("client:" + c.identity(), c.url(), c.method(), false, null, c.statusCallback(),
                    c.statusCallbackMethod(), c.statusCallbackEvent());
        }
        return new ChildLeg("", null, null, false, null, null, null, Set.of());
    }

    String callSid() { return callSid; }
    String to() { return to; }
    String url() { return url; }
    HttpMethod method() { return method; }
    boolean sip() { return sip; }
    String sendDigits() { return sendDigits; }

    /** True when this leg's statusCallbackEvent lists "ringing". */
    boolean wantsRinging() {
        return events.contains("ringing");
    }

    /** True when this leg's answer must be reported to us before the bridge (ringing/answered callbacks). */
    boolean wantsAnswerEvents() {
        return events.contains("ringing") || events.contains("answered");
    }

    /**
     * The child call's context: its parameters (SIP ones: the leg's Call-ID, and for {@code <Sip>} the X- headers
     * of its 200 OK as SipHeader_*), on {@code call} (the callee during screening).
     */
    CallContext context(CallContext parent, String from, Call call, String sipCallId, Map<String, String> okHeaders) {
        SipInvite p = parent.invite();
        SipInvite invite = new SipInvite(to, from, p.domain(), sipCallId == null ? "" : sipCallId, p.sourceIp(),
                sip ? okHeaders : Map.of());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("Direction", "outbound-dial");
        extra.put("ParentCallSid", parent.callSid());
        extra.put("CallStatus", "in-progress");
        return new CallContext(call, callSid, parent.params().get("AccountSid"), invite, parent.domain())
                .withParams(extra);
    }

    /**
     * Sends one status callback when this leg's statusCallbackEvent lists {@code event} and it was not sent yet;
     * {@code extra} adds CallDuration, SipResponseCode... URLs resolve against the parent's document.
     */
    synchronized void status(CallbackSender sender, CallContext parent, String from, String event,
                             String callStatus, Map<String, String> extra) {
        // events come from the call's thread, the answered leg's and the SIP capture's: one at a time, so
        // SequenceNumber follows the order they are sent in, and a late 180 is not reported after the answer
        if ("ringing".equals(event) && pastRinging) return;
        if ("answered".equals(event) || "completed".equals(event)) pastRinging = true;
        if (sender == null || !events.contains(event) || !sent.add(event)) return;
        // a wrapped call: a CallContext on the parent's own call would take over its answer listener
        Map<String, String> p = context(parent, from, io.twimlagi.engine.Interpreter.screened(parent.call()), null,
                Map.of()).params();
        p.remove("SipCallId");
        p.put("CallStatus", callStatus);
        p.putAll(extra);
        p.put("Timestamp", RecordingCallbackParams.rfc2822(ZonedDateTime.now()));
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", Integer.toString(sequence.getAndIncrement()));
        sender.send(callSid, "child status callback " + event,
                new WebhookRequest(parent.resolve(statusCallback), statusCallbackMethod, p));
    }
}
