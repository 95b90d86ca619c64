package io.twimlagi.rest;

import io.twimlagi.http.Exchange;
import io.twimlagi.records.CallQuery;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.Page;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code Calls.json} (list, create) and {@code Calls/{Sid}.json} (fetch, update). */
final class CallsResource {
    private final CallsBackend backend;

    CallsResource(CallsBackend backend) {
        this.backend = backend;
    }

    void list(Exchange x) {
        Map<String, String> query = RestApi.singleValues(x);
        Paging paging = Paging.of(query);
        Page<CallRecord> page = backend.list(CallQuery.fromTwilio(query), paging.page, paging.pageSize);
        Map<String, String> filters = new LinkedHashMap<>(query);
        filters.keySet().removeAll(List.of("Page", "PageSize", "PageToken"));
        Json.send(x, 200, paging.envelope("calls", x.path(), filters,
                page.items().stream().map(CallJson::of).toList(), page.hasNext()));
    }

    void create(Exchange x) {
        CallRecord call = backend.create(new CallParams(x.form()).create());
        Json.send(x, 201, CallJson.of(call));
    }

    void fetch(Exchange x, String sid) {
        CallRecord call = backend.fetch(sid).orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, CallJson.of(call));
    }

    void update(Exchange x, String sid) {
        CallUpdate update = new CallParams(x.form()).update();
        CallRecord call = backend.update(sid, update).orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, CallJson.of(call));
    }
}
