package io.twimlagi.server;

import io.twimlagi.ami.AmiClient;
import io.twimlagi.ami.Subscription;
import io.twimlagi.call.Call;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.config.Domain;
import io.twimlagi.dial.CallRecorder;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.CallRecordingRequest;
import io.twimlagi.engine.CallProgress;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.StatusCallbacks;
import io.twimlagi.engine.Walk;
import io.twimlagi.engine.WalkEnd;
import io.twimlagi.engine.WalkPolicy;
import io.twimlagi.sip.RejectCodes;
import io.twimlagi.sip.SipInvite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Function;

/**
 * One inbound call from start to end: who it is, its status callbacks, its walk through the app's TwiML (which
 * another thread may redirect or stop through {@link #walk()}), how it ends, its metrics and its call-end line.
 */
public final class CallSession {
    private static final Logger log = LoggerFactory.getLogger(CallSession.class);

    private final Services services;
    private final CallContext ctx;
    private final StatusCallbacks statusCallbacks;
    private final CallLog callLog;
    private final Walk walk;
    private volatile String channel;

    /** An inbound call: its SIP domain's status callbacks, its record in the call log. */
    CallSession(Services services, Call call, CallIdentity identity) {
        this(services, call, identity, null, services.callLog());
    }

    /**
     * {@code callbacks} builds the call's status callbacks (null: its SIP domain's); {@code callLog} keeps its record
     * ({@link CallLog#NONE} when its owner keeps it, as a REST call's does).
     */
    CallSession(Services services, Call call, CallIdentity identity,
                Function<CallContext, StatusCallbacks> callbacks, CallLog callLog) {
        this.services = services;
        this.callLog = callLog;
        this.ctx = new CallContext(call, identity);
        this.statusCallbacks = callbacks == null ? new StatusCallbacks(services.callbacks(), ctx)
                : callbacks.apply(ctx);
        this.walk = new Walk(call);
    }

    public String callSid() {
        return ctx.callSid();
    }

    /** The handle of the call's TwiML walk: a live update redirects or stops it. */
    public Walk walk() {
        return walk;
    }

    /**
     * Runs an inbound call to its end on this thread, from its domain's voice_url; {@code channel} is Asterisk's
     * channel name, for the log.
     */
    void run(String channel) {
        SipInvite invite = ctx.invite();
        log.info("{} call {} from {} to {} (Call-ID {}, {} X- headers, channel {})", ctx.callSid(),
                ctx.domain().sid(), invite.from(), invite.to(), invite.callId(), invite.xHeaders().size(), channel);
        ctx.call().onAnswer(() -> {
            ctx.progress().answered();
            callLog.answered(ctx.callSid());
            statusCallbacks.answered();
        });
        callLog.started(ctx.identity(), "ringing");
        statusCallbacks.started();
        lifecycle(channel, () -> {
            Domain domain = ctx.domain();
            if (domain.voiceUrl() == null) {
                log.error("{} no voice_url for SIP domain {}: rejecting", ctx.callSid(), ctx.invite().domain());
                ctx.progress().rejected(RejectCodes.REJECTED.sipCode);
                ctx.call().reject(RejectCodes.REJECTED.sipCode);
                return;
            }
            runTwiml(new Outcome.Navigate(domain.voiceUrl(), domain.voiceMethod(), Map.of()));
        });
    }

    /**
     * Runs a call that is answered already (a REST-created one, once its callee answered) to its end on this thread:
     * {@code digits} (or null) go to the callee first, then the TwiML at {@code start}; with {@code recording} (or
     * null) the whole call is recorded from now on.
     */
    void runAnswered(String channel, Outcome start, String digits, CallRecordingRequest recording) {
        SipInvite invite = ctx.invite();
        log.info("{} {} call from {} to {} answered (channel {})", ctx.callSid(), ctx.identity().direction(),
                invite.from(), invite.to(), channel);
        ctx.progress().answered();
        callLog.started(ctx.identity(), "in-progress");
        statusCallbacks.answered();
        lifecycle(channel, () -> {
            CallRecorder.Running recorded = recording == null ? null
                    : services.callRecorder().start(ctx, recording);
            try {
                if (digits != null && !digits.isEmpty()) ctx.call().sendDigits(digits);
                runTwiml(start);
            } finally {
                if (recorded != null) recorded.finish();
            }
        });
    }

    private void lifecycle(String channel, Runnable body) {
        SipInvite invite = ctx.invite();
        this.channel = channel;
        services.liveCalls().add(this);
        Subscription hangupWatch = watchHangup();
        try {
            body.run();
        } catch (CallGoneException gone) {
            log.info("{} caller hung up", ctx.callSid());
        } finally {
            try {
                if (hangupWatch != null) hangupWatch.close();
                statusCallbacks.completed();
                CallProgress p = ctx.progress();
                callLog.ended(ctx.callSid(), p.terminalStatus(), (int) p.durationSeconds(), p.finalSipCode());
                services.metrics().callEnded(p.finalSipCode());
                // the one structured line per call
                log.info("{} call-end sip_call_id={} from={} to={} status={} sip_code={} duration_s={} elapsed_ms={} "
                                + "verbs={} fetches={}", ctx.callSid(), invite.callId(), invite.from(), invite.to(),
                        p.terminalStatus(), p.finalSipCode(), p.durationSeconds(),
                        System.currentTimeMillis() - p.startMillis(), String.join(",", p.verbs()),
                        String.join(",", p.fetches()));
            } finally {
                // last: a shutdown waits for the live calls, then closes the callback sender, the records and the log
                services.liveCalls().remove(this);
            }
        }
    }

    /**
     * With the Manager Interface, a hangup (the caller's BYE or CANCEL, an operator's hangup) reaches the walk at
     * once: a webhook fetch in flight is abandoned and the call ends canceled or completed without waiting for the
     * app (AGI itself only tells at the next command).
     */
    private Subscription watchHangup() {
        AmiClient ami = services.ami();
        String uniqueId = ctx.call().channel().uniqueId();
        if (ami == null || uniqueId == null || uniqueId.isEmpty()) return null;
        try {
            return ami.onHangup(uniqueId, hangup -> walk.callerGone());
        } catch (IllegalArgumentException e) {
            log.warn("{} cannot watch channel {} for hangups: {}", ctx.callSid(), uniqueId, e.getMessage());
            return null;
        }
    }

    private void runTwiml(Outcome start) {
        WalkEnd end = services.walker().walk(ctx, start, WalkPolicy.CALL, services.runner(), walk);
        switch (end) {
            case DOCUMENTS_RAN_OUT -> { // the document's end hangs up, like <Hangup/>: Twilio answers, then ends it
                log.info("{} end of document, hanging up", ctx.callSid());
                ctx.call().answer();
                ctx.call().hangup();
            }
            case FETCH_FAILED, TOO_MANY_DOCUMENTS -> services.applicationError().handle(ctx);
            case STOPPED -> {
                log.info("{} ended from outside", ctx.callSid());
                ctx.call().hangup();
            }
            default -> {
                // ENDED, CALLER_GONE: nothing left to do (the call's policy has no ending verbs and no time limit)
            }
        }
    }

    /** Asterisk's name of the call's channel (null until it runs). */
    public String channel() {
        return channel;
    }

    /** What happened on the call so far. */
    public CallProgress progress() {
        return ctx.progress();
    }

    /** True when the caller (or callee, for a REST call) is answered. */
    public boolean answered() {
        return ctx.call().isAnswered();
    }

    /** A shutdown that cannot wait for this call still sends its terminal status callback. */
    void abandoned() {
        statusCallbacks.completed();
    }
}
