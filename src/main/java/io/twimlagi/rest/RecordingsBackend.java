package io.twimlagi.rest;

import io.twimlagi.records.Page;
import io.twimlagi.records.RecordingQuery;
import io.twimlagi.records.RecordingRecord;

import java.util.Optional;

/** What the Recordings resource needs from the server. */
public interface RecordingsBackend {
    Optional<RecordingRecord> fetch(String recordingSid);

    Page<RecordingRecord> list(RecordingQuery query, int page, int pageSize);

    /** Deletes the recording's record and its audio; false when there was none. */
    boolean delete(String recordingSid);

    /** Where the recordings' audio is served: {@code public_url}. */
    String publicUrl();
}
