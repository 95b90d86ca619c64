package io.twimlagi.rest;

import io.twimlagi.records.CallQuery;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.Page;

import java.util.Optional;

/** What the Calls resource needs from the server: place, find, list and change calls. */
public interface CallsBackend {
    /** Places a call; its record, {@code queued}. @throws ApiError 503 when Asterisk cannot take calls now */
    CallRecord create(OutboundRequest request);

    Optional<CallRecord> fetch(String callSid);

    Page<CallRecord> list(CallQuery query, int page, int pageSize);

    /**
     * Changes a call now: redirects its TwiML (the verb running stops at once), hangs it up or cancels it.
     *
     * @return its record afterwards; empty when there is no such call
     * @throws ApiError 21220 when the call is over (or cannot take the change in its state)
     */
    Optional<CallRecord> update(String callSid, CallUpdate update);
}
