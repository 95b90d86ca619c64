package io.twimlagi.engine;

import io.twimlagi.recording.RecordingCallbackParams;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookRequest;

import java.time.ZonedDateTime;
import java.util.Map;

/**
 * The SIP domain's {@code status_callback}: Twilio's call-progress events (initiated, ringing, answered,
 * completed; only those in {@code status_callback_event}), signed, sent asynchronously and retried by
 * {@link CallbackSender}. {@link #completed} sends exactly one terminal callback per call.
 */
public final class StatusCallbacks {
    private final CallbackSender sender;

    public StatusCallbacks(CallbackSender sender) {
        this.sender = sender;
    }

    /** The call arrived; Asterisk's dialplan has already sent 180 Ringing. */
    public void started(CallContext ctx) {
        send(ctx, "initiated", "initiated");
        send(ctx, "ringing", "ringing");
    }

    public void answered(CallContext ctx) {
        send(ctx, "answered", "in-progress");
    }

    /** The call is over, whatever ended it; only the first call per call counts. */
    public void completed(CallContext ctx) {
        if (!ctx.completedSent.compareAndSet(false, true)) return;
        send(ctx, "completed", ctx.progress().terminalStatus());
    }

    private void send(CallContext ctx, String event, String callStatus) {
        String url = ctx.domain().statusCallback();
        if (url == null || url.isBlank() || !ctx.domain().statusCallbackEvents().contains(event)) return;
        Map<String, String> p = ctx.params();
        p.put("CallStatus", callStatus);
        if (event.equals("completed")) {
            p.put("CallDuration", Long.toString(ctx.progress().durationSeconds()));
            p.put("SipResponseCode", Integer.toString(ctx.progress().finalSipCode()));
        }
        p.put("Timestamp", RecordingCallbackParams.rfc2822(ZonedDateTime.now()));
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", Integer.toString(ctx.nextSequenceNumber()));
        sender.send(ctx.callSid(), "status callback " + event,
                new WebhookRequest(url, ctx.domain().statusCallbackMethod(), p));
    }
}
