package io.twimlagi.rest;

import io.twimlagi.http.Exchange;
import io.twimlagi.records.Page;
import io.twimlagi.records.RecordingQuery;
import io.twimlagi.records.RecordingRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Recordings.json} and {@code Calls/{CallSid}/Recordings.json} (list), {@code Recordings/{Sid}.json} (fetch,
 * delete: the audio is gone afterwards). The audio itself is served at {@code Recordings/{Sid}[.wav|.mp3]}.
 */
final class RecordingsResource {
    private final RecordingsBackend backend;

    RecordingsResource(RecordingsBackend backend) {
        this.backend = backend;
    }

    /** The account's recordings, or one call's ({@code callSid} not null). */
    void list(Exchange x, String callSid) {
        Map<String, String> query = RestApi.singleValues(x);
        Paging paging = Paging.of(query);
        RecordingQuery q = RecordingQuery.fromTwilio(query);
        if (callSid != null) q = q.withCallSid(callSid);
        Page<RecordingRecord> page = backend.list(q, paging.page, paging.pageSize);
        Map<String, String> filters = new LinkedHashMap<>(query);
        filters.keySet().removeAll(List.of("Page", "PageSize", "PageToken"));
        Json.send(x, 200, paging.envelope("recordings", x.path(), filters,
                page.items().stream().map(r -> RecordingJson.of(r, backend.publicUrl())).toList(), page.hasNext()));
    }

    void fetch(Exchange x, String sid) {
        RecordingRecord r = backend.fetch(sid).orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, RecordingJson.of(r, backend.publicUrl()));
    }

    void delete(Exchange x, String sid) {
        if (!backend.delete(sid)) throw ApiError.notFound(x.path());
        x.send(204, "application/json", "");
    }
}
