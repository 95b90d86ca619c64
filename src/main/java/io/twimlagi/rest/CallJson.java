package io.twimlagi.rest;

import io.twimlagi.records.CallRecord;

import java.util.Map;

/** A call record as Twilio's Call resource (API 2010-04-01), every field Twilio's SDK reads. */
final class CallJson {
    private CallJson() {
    }

    static Map<String, Object> of(CallRecord c) {
        String uri = RestApi.accountPath(c.accountSid()) + "/Calls/" + c.sid();
        Map<String, Object> o = Json.object();
        o.put("sid", c.sid());
        o.put("date_created", Json.date(c.dateCreated()));
        o.put("date_updated", Json.date(c.dateUpdated()));
        o.put("parent_call_sid", c.parentCallSid());
        o.put("account_sid", c.accountSid());
        o.put("to", c.to());
        o.put("to_formatted", c.to());
        o.put("from", c.from());
        o.put("from_formatted", c.from());
        o.put("phone_number_sid", null);
        o.put("status", c.status().twilioName());
        o.put("start_time", Json.date(c.startTime()));
        o.put("end_time", Json.date(c.endTime()));
        o.put("duration", Json.string(c.duration()));
        o.put("price", null);
        o.put("price_unit", "USD");
        o.put("direction", c.direction().twilioName());
        o.put("answered_by", c.answeredBy());
        o.put("api_version", "2010-04-01");
        o.put("forwarded_from", c.forwardedFrom());
        o.put("group_sid", null);
        o.put("caller_name", c.callerName());
        o.put("queue_time", "0");
        o.put("trunk_sid", null);
        o.put("uri", uri + ".json");
        Map<String, Object> sub = Json.object();
        sub.put("recordings", uri + "/Recordings.json");
        sub.put("notifications", uri + "/Notifications.json");
        sub.put("streams", uri + "/Streams.json");
        sub.put("events", uri + "/Events.json");
        o.put("subresource_uris", sub);
        return o;
    }
}
