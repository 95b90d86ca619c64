package io.twimlagi.engine;

import io.twimlagi.twilio.TwilioTime;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.CallbackSender;

import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The status callbacks of one resource — a call's progress, a Dial child leg's, a conference's — built in one
 * place: only the events its owner asked for, each stamped with {@code Timestamp} and {@code SequenceNumber}
 * (0, 1, 2... per resource, as Twilio numbers them; they are sent asynchronously and may arrive out of order),
 * call-progress ones with {@code CallbackSource=call-progress-events}, signed and retried by
 * {@link CallbackSender}. Events are numbered in the order they are emitted.
 */
public final class StatusCallbackEmitter {
    private static final StatusCallbackEmitter NONE = new StatusCallbackEmitter(null, "", "", null, HttpMethod.POST,
            Set.of(), false);

    private final CallbackSender sender;
    private final String ownerSid;
    private final String what;
    private final String url;
    private final HttpMethod method;
    private final Set<String> events;
    private final boolean callProgress;
    private int sequence;

    /**
     * @param ownerSid     the CallSid the callbacks are logged under
     * @param what         for the logs ("status callback", "conference status callback")
     * @param url          absolute URL; null or blank = none
     * @param events       the events asked for
     * @param callProgress true for a call's progress events (adds {@code CallbackSource})
     */
    public StatusCallbackEmitter(CallbackSender sender, String ownerSid, String what, String url, HttpMethod method,
                                 Set<String> events, boolean callProgress) {
        this.sender = sender;
        this.ownerSid = ownerSid;
        this.what = what;
        this.url = url;
        this.method = method == null ? HttpMethod.POST : method;
        this.events = sender == null || url == null || url.isBlank() ? Set.of() : Set.copyOf(events);
        this.callProgress = callProgress;
    }

    /** An emitter that sends nothing. */
    public static StatusCallbackEmitter none() {
        return NONE;
    }

    public boolean wants(String event) {
        return events.contains(event);
    }

    /** Sends {@code event} with these parameters (copied) when it was asked for. */
    public synchronized void emit(String event, Map<String, String> params) {
        if (!events.contains(event)) return;
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put("Timestamp", TwilioTime.rfc2822(ZonedDateTime.now()));
        if (callProgress) p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", Integer.toString(sequence++));
        sender.send(ownerSid, what + " " + event, url, method, p);
    }
}
