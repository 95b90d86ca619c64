package io.twimlagi.rest;

import io.twimlagi.http.Exchange;

import java.util.Map;

/**
 * {@code Calls/{CallSid}/Streams/{Sid}.json} POST {@code Status=stopped}: stops a unidirectional Media Stream
 * ({@code <Start><Stream>}) by its sid or name, as Twilio's Stream resource does; the answer is the resource. A
 * bidirectional stream ({@code <Connect><Stream>}) cannot be stopped this way (Twilio's rule): 404, like an
 * unknown one. Creating streams through the API is not supported (405).
 */
final class StreamsResource {
    private final StreamsBackend backend;

    StreamsResource(StreamsBackend backend) {
        this.backend = backend;
    }

    void update(Exchange x, String accountSid, String callSid, String sidOrName) {
        Map<String, String> form = RestApi.singleValues(x);
        String status = form.get("Status");
        if (status == null) throw ApiError.badParameter("Missing required parameter Status in the post body");
        if (!status.equals("stopped")) throw ApiError.badParameter("Status must be stopped, not " + status);
        StreamsBackend.StoppedStream s = backend.stop(callSid, sidOrName)
                .orElseThrow(() -> ApiError.notFound(x.path()));
        Map<String, Object> body = Json.object();
        body.put("sid", s.sid());
        body.put("account_sid", s.accountSid());
        body.put("call_sid", s.callSid());
        body.put("name", s.name());
        body.put("status", "stopped");
        body.put("date_updated", s.dateUpdated());
        body.put("uri", RestApi.accountPath(accountSid) + "/Calls/" + callSid + "/Streams/" + s.sid() + ".json");
        Json.send(x, 200, body);
    }
}
