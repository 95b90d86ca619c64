package io.twimlagi.server;

import io.twimlagi.call.DialRequest;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.StatusCallbackEmitter;
import io.twimlagi.engine.StatusCallbacks;
import io.twimlagi.rest.OutboundRequest;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One REST-created call from {@code queued} to its end: who it is, what it dials, its status callbacks (one
 * emitter, so SequenceNumber runs across both halves of the call), and the Dial it places. It is initiated as it
 * is originated; its Dial half reports ringing and, when nobody answered, how it ended; its TwiML half (a
 * {@link CallSession}) reports answered and completed.
 */
public final class OutboundCall {
    /** Where the call is. */
    public enum State { QUEUED, DIALING, IN_PROGRESS, ENDED }

    private final CallIdentity identity;
    private final OutboundRequest request;
    private final DialRequest dial;
    private final StatusCallbackEmitter callbacks;
    private final CallLog callLog;
    private final Instant created = Instant.now();
    private final Set<String> sent = new HashSet<>();
    private State state = State.QUEUED;
    private String status = "queued";
    /** Status=canceled came while it was being dialed: however its Dial ends unanswered, it is canceled. */
    private boolean cancelRequested;
    /**
     * Asterisk said the callee answered (the Originate's end, or the Dial half's report of a bridged Dial), maybe
     * before the TwiML half's AGI arrived: from then on the call is in progress, and Status=canceled is refused.
     */
    private boolean calleeAnswered;
    /** Status=completed came after Asterisk reported the answer: the call was answered, then hung up by the API. */
    private boolean hangupRequested;
    /** The Call-ID of the leg whose 180 is watched for in the SIP capture (null: none). */
    private String ringingWatched;
    private CallSession session;
    private Instant startTime;
    private Instant endTime;
    private Integer duration;
    private Integer sipResponseCode;
    /** The TwiML to run on answer: the request's, or a live update's made while it rang. */
    private Outcome start;

    OutboundCall(CallIdentity identity, OutboundRequest request, DialRequest dial, StatusCallbackEmitter callbacks,
                 CallLog callLog) {
        this.identity = identity;
        this.request = request;
        this.dial = dial;
        this.callbacks = callbacks;
        this.callLog = callLog;
        this.start = request.twiml() != null ? new Outcome.Inline(request.twiml())
                : new Outcome.Navigate(request.url(), request.method(), Map.of());
        callLog.started(identity, "queued");
    }

    public String sid() { return identity.callSid(); }
    public CallIdentity identity() { return identity; }
    OutboundRequest request() { return request; }
    /** What its dialing half Dials (dialplan/twiml.conf [twiml-outbound-dial]). */
    DialRequest dial() { return dial; }
    public Instant created() { return created; }

    public synchronized State state() { return state; }
    /** Twilio's status: queued, ringing, in-progress, completed, busy, no-answer, failed, canceled. */
    public synchronized String status() { return status; }
    public synchronized Instant startTime() { return startTime; }
    public synchronized Instant endTime() { return endTime; }
    public synchronized Integer duration() { return duration; }
    public synchronized Integer sipResponseCode() { return sipResponseCode; }
    synchronized boolean cancelRequested() { return cancelRequested; }

    /**
     * Status=canceled while it is being dialed and its callee has not answered: true when it is (its Dial is then
     * ended as canceled). {@code evenIfAnswered}: also once Asterisk reported the answer, as long as the TwiML half
     * has not arrived (Status=completed, which hangs an answered call up).
     */
    synchronized boolean requestCancel(boolean evenIfAnswered) {
        if (state != State.DIALING || calleeAnswered && !evenIfAnswered) return false;
        cancelRequested = true;
        hangupRequested = calleeAnswered;
        return true;
    }

    /**
     * How a call the API ended ends when its TwiML half never runs (the hangup came first): completed when it was
     * hung up after the answer, canceled when canceled before; {@code otherwise} when the API did not end it.
     */
    synchronized String statusIfEndedByApi(String otherwise) {
        return hangupRequested ? "completed" : cancelRequested ? "canceled" : otherwise;
    }

    /** Asterisk reported the callee's answer (its TwiML half may still be on its way). */
    synchronized void calleeAnswered() {
        calleeAnswered = true;
    }

    /** True once the callee answered: reported by Asterisk, or the TwiML half runs. */
    synchronized boolean answerKnown() {
        return calleeAnswered || state == State.IN_PROGRESS;
    }

    /** Remembers the leg's Call-ID watched for ringing; returns the one watched before (null: none). */
    synchronized String watchRinging(String callId) {
        String before = ringingWatched;
        ringingWatched = callId;
        return before;
    }
    synchronized Outcome start() { return start; }

    /** A live update while it is queued or ringing: this TwiML runs when the callee answers; false once answered. */
    synchronized boolean replaceTwiml(Outcome twiml) {
        if (state == State.IN_PROGRESS || state == State.ENDED) return false;
        start = twiml;
        return true;
    }
    synchronized CallSession session() { return session; }

    /** Asterisk is asked to place it (initiated); false when the call was canceled meanwhile. */
    synchronized boolean dialing() {
        if (state != State.QUEUED) return false;
        state = State.DIALING;
        startTime = Instant.now();
        status = "ringing";
        callLog.dialing(sid());
        send("initiated", "initiated", Map.of());
        return true;
    }

    /** The callee rings (its 180/183); reported once, never after the answer. */
    synchronized void ringing() {
        if (state != State.DIALING) return;
        send("ringing", "ringing", Map.of());
    }

    /** The callee answered and the TwiML half runs as {@code session}; false when the call ended meanwhile. */
    synchronized boolean answered(CallSession running) {
        if (state == State.ENDED) return false;
        send("ringing", "ringing", Map.of()); // it rang before it answered (once)
        state = State.IN_PROGRESS;
        calleeAnswered = true;
        status = "in-progress";
        session = running;
        callLog.answered(sid());
        return true;
    }

    /**
     * The call is over: {@code finalStatus} as Twilio reports it, {@code seconds} talked, the callee's final SIP
     * response; sends {@code completed} unless the TwiML half already did ({@code reported}).
     */
    synchronized void ended(String finalStatus, int seconds, int sipCode, boolean reported) {
        if (state == State.ENDED) return;
        state = State.ENDED;
        status = finalStatus;
        endTime = Instant.now();
        duration = seconds;
        sipResponseCode = sipCode > 0 ? sipCode : null;
        callLog.ended(sid(), finalStatus, seconds, sipCode);
        if (reported) return;
        Map<String, String> end = new LinkedHashMap<>();
        end.put("CallDuration", Integer.toString(seconds));
        if (sipCode > 0) end.put("SipResponseCode", Integer.toString(sipCode));
        send("completed", finalStatus, end);
    }

    /** The answered half's callbacks: answered and completed on the same emitter. */
    StatusCallbacks statusCallbacks(CallContext ctx) {
        return new StatusCallbacks(ctx, callbacks);
    }

    private void send(String event, String callStatus, Map<String, String> extra) {
        if (!callbacks.wants(event) || !sent.add(event)) return;
        Map<String, String> p = identity.params(callStatus);
        p.putAll(extra);
        callbacks.emit(event, p);
    }
}
