package io.twimlagi.server;

import io.twimlagi.records.CallDirection;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.CallStatus;
import io.twimlagi.records.SqliteRecordStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The composition root opens the record store at records_db and commits it when it closes. */
class ServicesRecordsTest {
    @TempDir
    Path media;

    @Test
    void recordsDbIsOpenedAndFlushedOnClose() throws Exception {
        Path db = media.resolve("db/calls.db");
        CallRecord call = CallRecord.of("CA" + "5".repeat(32), TestServices.ACCOUNT, null, CallDirection.INBOUND,
                "+15550001", "sip:alice@pbx", CallStatus.COMPLETED, Instant.parse("2024-06-01T00:00:00Z"));
        try (Services services = TestServices.build(media, "records_db = " + db, "call_log_days = 0")) {
            services.records().saveCall(call);
        }
        try (SqliteRecordStore reopened = SqliteRecordStore.open(db, Duration.ZERO)) {
            assertEquals(Optional.of(call), reopened.fetchCall(call.sid()));
        }
    }
}
