package io.twimlagi.rest;

import io.twimlagi.records.ConferenceRecord;

import java.util.Map;

/** A conference record as Twilio's Conference resource (API 2010-04-01), every field Twilio's SDK reads. */
final class ConferenceJson {
    private ConferenceJson() {
    }

    static String uri(String accountSid, String conferenceSid) {
        return RestApi.accountPath(accountSid) + "/Conferences/" + conferenceSid;
    }

    static Map<String, Object> of(ConferenceRecord c) {
        String uri = uri(c.accountSid(), c.sid());
        Map<String, Object> o = Json.object();
        o.put("account_sid", c.accountSid());
        o.put("api_version", "2010-04-01");
        o.put("call_sid_ending_conference", c.callSidEndingConference());
        o.put("date_created", Json.date(c.dateCreated()));
        o.put("date_updated", Json.date(c.dateUpdated()));
        o.put("friendly_name", c.friendlyName());
        o.put("reason_conference_ended", c.reasonConferenceEnded());
        o.put("region", c.region());
        o.put("sid", c.sid());
        o.put("status", c.status().twilioName());
        Map<String, Object> sub = Json.object();
        sub.put("participants", uri + "/Participants.json");
        sub.put("recordings", uri + "/Recordings.json");
        o.put("subresource_uris", sub);
        o.put("uri", uri + ".json");
        return o;
    }
}
