package io.twimlagi.rest;

import io.twimlagi.records.RecordingRecord;

import java.util.Map;

/** A recording record as Twilio's Recording resource (API 2010-04-01). */
final class RecordingJson {
    private RecordingJson() {
    }

    static Map<String, Object> of(RecordingRecord r, String publicUrl) {
        String uri = RestApi.accountPath(r.accountSid()) + "/Recordings/" + r.sid();
        Map<String, Object> o = Json.object();
        o.put("account_sid", r.accountSid());
        o.put("api_version", "2010-04-01");
        o.put("call_sid", r.callSid());
        o.put("conference_sid", r.conferenceSid());
        o.put("date_created", Json.date(r.dateCreated()));
        o.put("date_updated", Json.date(r.dateUpdated()));
        o.put("start_time", Json.date(r.startTime()));
        o.put("duration", Json.string(r.duration()));
        o.put("sid", r.sid());
        o.put("price", null);
        o.put("price_unit", "USD");
        o.put("status", r.status().twilioName());
        o.put("channels", r.channels());
        o.put("source", r.source().twilioName());
        o.put("error_code", r.errorCode());
        o.put("uri", uri + ".json");
        o.put("encryption_details", null);
        Map<String, Object> sub = Json.object();
        sub.put("add_on_results", uri + "/AddOnResults.json");
        sub.put("transcriptions", uri + "/Transcriptions.json");
        o.put("subresource_uris", sub);
        o.put("media_url", publicUrl + uri);
        return o;
    }
}
