package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.recording.RecordingCallbackParams;
import io.twimlagi.twiml.Conference;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookRequest;

import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A conference's {@code statusCallback}: the one of the participant who created the room (Twilio uses the first
 * participant's), for the events it lists: {@code start} (a participant with startConferenceOnEnter joined),
 * {@code end} (the last participant left, or one with endConferenceOnExit), {@code join}, {@code leave}. Sent
 * asynchronously and signed like every callback; {@code SequenceNumber} orders them.
 */
final class ConferenceEvents {
    private final CallbackSender sender;
    private final String url;
    private final HttpMethod method;
    private final Set<String> events;
    private final String friendlyName;
    private final String conferenceSid;
    private final String accountSid;
    private final AtomicInteger sequence = new AtomicInteger();

    private ConferenceEvents(CallbackSender sender, String url, HttpMethod method, Set<String> events,
                             String friendlyName, String conferenceSid, String accountSid) {
        this.sender = sender;
        this.url = url;
        this.method = method;
        this.events = events;
        this.friendlyName = friendlyName;
        this.conferenceSid = conferenceSid;
        this.accountSid = accountSid;
    }

    /** The room's events, or null when its creator asked for none. */
    static ConferenceEvents of(CallbackSender sender, Conference c, String conferenceSid, CallContext creator) {
        if (sender == null || c.statusCallback() == null || c.statusCallbackEvent().isEmpty()) return null;
        return new ConferenceEvents(sender, creator.resolve(c.statusCallback()),
                c.statusCallbackMethod() == null ? HttpMethod.POST : c.statusCallbackMethod(),
                Set.copyOf(c.statusCallbackEvent()), c.name(), conferenceSid, creator.params().get("AccountSid"));
    }

    /** A participant's event ({@code join}, {@code leave}) for {@code ctx}'s call with its settings. */
    void participant(String event, CallContext ctx, Conference c, Map<String, String> extra) {
        Map<String, String> p = base(event);
        p.put("CallSid", ctx.callSid());
        p.put("Muted", Boolean.toString(c.muted()));
        p.put("Hold", "false");
        p.put("Coaching", "false");
        p.put("EndConferenceOnExit", Boolean.toString(c.endConferenceOnExit()));
        p.put("StartConferenceOnEnter", Boolean.toString(c.startConferenceOnEnter()));
        p.putAll(extra);
        send(event, ctx.callSid(), p);
    }

    /** {@code start} or {@code end} of the conference; {@code extra} carries the reason for an end. */
    void conference(String event, String callSid, Map<String, String> extra) {
        Map<String, String> p = base(event);
        p.putAll(extra);
        send(event, callSid, p);
    }

    private Map<String, String> base(String event) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", accountSid);
        p.put("ConferenceSid", conferenceSid);
        p.put("FriendlyName", friendlyName);
        p.put("StatusCallbackEvent", switch (event) {
            case "start" -> "conference-start";
            case "end" -> "conference-end";
            case "join" -> "participant-join";
            default -> "participant-leave";
        });
        p.put("Timestamp", RecordingCallbackParams.rfc2822(ZonedDateTime.now()));
        return p;
    }

    private void send(String event, String callSid, Map<String, String> p) {
        if (!events.contains(event)) return;
        p.put("SequenceNumber", Integer.toString(sequence.getAndIncrement()));
        sender.send(callSid, "conference status callback " + event, new WebhookRequest(url, method, p));
    }
}
