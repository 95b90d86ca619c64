package io.twimlagi.rest;

import io.twimlagi.queue.MemberSnapshot;
import io.twimlagi.queue.QueueSnapshot;

import java.util.Map;

/** A queue as Twilio's Queue resource, and a waiting call as its Member resource (API 2010-04-01). */
final class QueueJson {
    private QueueJson() {
    }

    static String queueUri(String accountSid, String queueSid) {
        return RestApi.accountPath(accountSid) + "/Queues/" + queueSid;
    }

    static Map<String, Object> queue(QueueSnapshot q, String accountSid) {
        String uri = queueUri(accountSid, q.sid());
        Map<String, Object> o = Json.object();
        o.put("account_sid", accountSid);
        o.put("average_wait_time", q.averageWaitSeconds());
        o.put("current_size", q.currentSize());
        o.put("date_created", Json.date(q.dateCreated()));
        o.put("date_updated", Json.date(q.dateUpdated()));
        o.put("friendly_name", q.friendlyName());
        o.put("max_size", q.maxSize());
        o.put("sid", q.sid());
        o.put("uri", uri + ".json");
        Map<String, Object> sub = Json.object();
        sub.put("members", uri + "/Members.json");
        o.put("subresource_uris", sub);
        return o;
    }

    static Map<String, Object> member(MemberSnapshot m, String accountSid) {
        Map<String, Object> o = Json.object();
        o.put("call_sid", m.callSid());
        o.put("date_enqueued", Json.date(m.dateEnqueued()));
        o.put("position", m.position());
        o.put("uri", queueUri(accountSid, m.queueSid()) + "/Members/" + m.callSid() + ".json");
        o.put("wait_time", m.waitSeconds());
        o.put("queue_sid", m.queueSid());
        return o;
    }
}
