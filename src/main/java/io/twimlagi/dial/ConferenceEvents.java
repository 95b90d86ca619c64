package io.twimlagi.dial;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.StatusCallbackEmitter;
import io.twimlagi.records.ParticipantRecord;
import io.twimlagi.twiml.Conference;
import io.twimlagi.webhook.CallbackSender;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A conference's {@code statusCallback}: the one of the participant who created the room (Twilio uses the first
 * participant's), for the events it lists: {@code start} (a participant with startConferenceOnEnter joined),
 * {@code end} (the last participant left, or one with endConferenceOnExit), {@code join}, {@code leave}.
 */
final class ConferenceEvents {
    private final StatusCallbackEmitter emitter;
    private final String friendlyName;
    private final String conferenceSid;
    private final String accountSid;

    private ConferenceEvents(StatusCallbackEmitter emitter, String friendlyName, String conferenceSid,
                             String accountSid) {
        this.emitter = emitter;
        this.friendlyName = friendlyName;
        this.conferenceSid = conferenceSid;
        this.accountSid = accountSid;
    }

    /** The room's events, or null when its creator asked for none. */
    static ConferenceEvents of(CallbackSender sender, Conference c, String conferenceSid, CallContext creator) {
        if (sender == null || c.statusCallback() == null || c.statusCallbackEvent().isEmpty()) return null;
        return new ConferenceEvents(new StatusCallbackEmitter(sender, creator.callSid(), "conference status callback",
                creator.resolve(c.statusCallback()), c.statusCallbackMethod(), c.statusCallbackEvent(), false),
                c.name(), conferenceSid, creator.accountSid());
    }

    /** A participant's event ({@code join}, {@code leave}) with its settings now. */
    void participant(String event, LiveParticipant who, Map<String, String> extra) {
        Map<String, String> p = base(event, event.equals("join") ? "participant-join" : "participant-leave");
        participantParams(p, who);
        p.putAll(extra);
        emitter.emit(event, p);
    }

    /**
     * A change made through the REST API: {@code mute} ({@code participant-mute} / {@code -unmute}) or {@code hold}
     * ({@code participant-hold} / {@code -unhold}), {@code on} saying which.
     */
    void changed(String event, LiveParticipant who, boolean on) {
        Map<String, String> p = base(event, "participant-" + (on ? "" : "un") + event);
        participantParams(p, who);
        emitter.emit(event, p);
    }

    private static void participantParams(Map<String, String> p, LiveParticipant who) {
        ParticipantRecord r = who.snapshot();
        p.put("CallSid", r.callSid());
        p.put("Muted", Boolean.toString(r.muted()));
        p.put("Hold", Boolean.toString(r.hold()));
        p.put("Coaching", "false");
        p.put("EndConferenceOnExit", Boolean.toString(r.endConferenceOnExit()));
        p.put("StartConferenceOnEnter", Boolean.toString(r.startConferenceOnEnter()));
    }

    /** {@code start} or {@code end} of the conference; {@code extra} carries the reason for an end. */
    void conference(String event, Map<String, String> extra) {
        Map<String, String> p = base(event, "conference-" + event);
        p.putAll(extra);
        emitter.emit(event, p);
    }

    private Map<String, String> base(String event, String statusCallbackEvent) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", accountSid);
        p.put("ConferenceSid", conferenceSid);
        p.put("FriendlyName", friendlyName);
        p.put("StatusCallbackEvent", statusCallbackEvent);
        return p;
    }
}
