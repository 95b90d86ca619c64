package io.twimlagi.rest;

import io.twimlagi.records.ParticipantRecord;

import java.util.Map;

/** A live participant as Twilio's Participant resource (API 2010-04-01), every field Twilio's SDK reads. */
final class ParticipantJson {
    private ParticipantJson() {
    }

    static Map<String, Object> of(ParticipantRecord p) {
        Map<String, Object> o = Json.object();
        o.put("account_sid", p.accountSid());
        o.put("call_sid", p.callSid());
        o.put("label", p.label());
        o.put("call_sid_to_coach", null);
        o.put("coaching", p.coaching());
        o.put("conference_sid", p.conferenceSid());
        o.put("date_created", Json.date(p.dateCreated()));
        o.put("date_updated", Json.date(p.dateUpdated()));
        o.put("end_conference_on_exit", p.endConferenceOnExit());
        o.put("muted", p.muted());
        o.put("hold", p.hold());
        o.put("start_conference_on_enter", p.startConferenceOnEnter());
        o.put("status", p.status());
        o.put("queue_time", null);
        o.put("uri", ConferenceJson.uri(p.accountSid(), p.conferenceSid()) + "/Participants/" + p.callSid() + ".json");
        return o;
    }
}
