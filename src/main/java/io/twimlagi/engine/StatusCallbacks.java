package io.twimlagi.engine;

import io.twimlagi.webhook.CallbackSender;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call's progress callbacks to its SIP domain's {@code status_callback}: Twilio's events initiated, ringing,
 * answered, completed (only those in {@code status_callback_event}). {@link #completed} sends exactly one terminal
 * callback per call, whoever calls it first (the call's thread, or a shutdown that cannot wait for it).
 */
public final class StatusCallbacks {
    private final CallContext ctx;
    private final StatusCallbackEmitter emitter;
    private final AtomicBoolean completedSent = new AtomicBoolean();

    /** To the call's SIP domain's status_callback. */
    public StatusCallbacks(CallbackSender sender, CallContext ctx) {
        this(ctx, new StatusCallbackEmitter(sender, ctx.callSid(), "status callback", ctx.domain().statusCallback(),
                ctx.domain().statusCallbackMethod(), ctx.domain().statusCallbackEvents(), true));
    }

    /** On an emitter the call already used (a REST call's, which reported initiated and ringing itself). */
    public StatusCallbacks(CallContext ctx, StatusCallbackEmitter emitter) {
        this.ctx = ctx;
        this.emitter = emitter;
    }

    /** The call arrived; Asterisk's dialplan has already sent 180 Ringing. */
    public void started() {
        send("initiated", "initiated");
        send("ringing", "ringing");
    }

    public void answered() {
        send("answered", "in-progress");
    }

    /** The call is over, whatever ended it; only the first call counts. */
    public void completed() {
        if (!completedSent.compareAndSet(false, true)) return;
        send("completed", ctx.progress().terminalStatus());
    }

    private void send(String event, String callStatus) {
        if (!emitter.wants(event)) return;
        Map<String, String> p = ctx.params();
        p.put("CallStatus", callStatus);
        if (event.equals("completed")) {
            p.put("CallDuration", Long.toString(ctx.progress().durationSeconds()));
            p.put("SipResponseCode", Integer.toString(ctx.progress().finalSipCode()));
        }
        emitter.emit(event, p);
    }
}
