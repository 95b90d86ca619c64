package io.twimlagi.server;

import io.twimlagi.records.Page;
import io.twimlagi.records.RecordingQuery;
import io.twimlagi.records.RecordingRecord;
import io.twimlagi.rest.RecordingsBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/** The Recordings resource on this server: records from the record store, audio from the recording store. */
final class RestRecordings implements RecordingsBackend {
    private static final Logger log = LoggerFactory.getLogger(RestRecordings.class);

    private final Services services;

    RestRecordings(Services services) {
        this.services = services;
    }

    @Override
    public Optional<RecordingRecord> fetch(String recordingSid) {
        return services.records().fetchRecording(recordingSid);
    }

    @Override
    public Page<RecordingRecord> list(RecordingQuery query, int page, int pageSize) {
        return services.records().listRecordings(query, page, pageSize);
    }

    @Override
    public boolean delete(String recordingSid) {
        boolean record = services.records().deleteRecording(recordingSid);
        boolean audio;
        try {
            audio = services.recordings().delete(recordingSid);
        } catch (IOException e) {
            log.error("recording {}: audio not deleted: {}", recordingSid, e.toString());
            audio = false;
        }
        if (record || audio) log.info("recording {} deleted (record {}, audio {})", recordingSid, record, audio);
        return record || audio;
    }

    @Override
    public String publicUrl() {
        return services.general().publicUrl();
    }
}
