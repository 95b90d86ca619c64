package io.twimlagi.server;

import io.twimlagi.records.CallDirection;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.CallStatus;
import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.ConferenceStatus;
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

    @Test
    void conferencesALastRunLeftInProgressAreCompletedAtStart() throws Exception {
        Path db = media.resolve("db/calls.db");
        Instant t = Instant.parse("2024-06-01T00:00:00Z");
        ConferenceRecord running = ConferenceRecord.created("CF" + "1".repeat(32), TestServices.ACCOUNT, "room",
                "us1", null, t).withStatus(ConferenceStatus.IN_PROGRESS, t);
        ConferenceRecord waiting = ConferenceRecord.created("CF" + "2".repeat(32), TestServices.ACCOUNT, "lobby",
                "us1", null, t);
        ConferenceRecord over = new ConferenceRecord("CF" + "3".repeat(32), TestServices.ACCOUNT, "done",
                ConferenceStatus.COMPLETED, "us1", t, t.plusSeconds(5), "conference-ended-via-api", null, null);
        try (SqliteRecordStore store = SqliteRecordStore.open(db, Duration.ZERO)) {
            store.saveConference(running);
            store.saveConference(waiting);
            store.saveConference(over);
        }
        try (Services services = TestServices.build(media, "records_db = " + db, "call_log_days = 0")) {
            for (ConferenceRecord c : new ConferenceRecord[] {running, waiting}) {
                ConferenceRecord now = services.records().fetchConference(c.sid()).orElseThrow();
                assertEquals(ConferenceStatus.COMPLETED, now.status(), c.friendlyName());
                assertEquals("last-participant-left", now.reasonConferenceEnded());
            }
            assertEquals(Optional.of(over), services.records().fetchConference(over.sid()), "left as it was");
        }
    }

    @Test
    void callsALastRunLeftUpAreEndedAtStart() throws Exception {
        Path db = media.resolve("db/calls.db");
        Instant t = Instant.parse("2024-06-01T00:00:00Z");
        CallRecord talking = CallRecord.of("CA" + "6".repeat(32), TestServices.ACCOUNT, null, CallDirection.INBOUND,
                "+15550001", "sip:alice@pbx", CallStatus.IN_PROGRESS, t).withStartTime(t)
                .withDateUpdated(t.plusSeconds(42));
        CallRecord ringing = CallRecord.of("CA" + "7".repeat(32), TestServices.ACCOUNT, null,
                CallDirection.OUTBOUND_API, "+15550001", "sip:bob@pbx", CallStatus.RINGING, t);
        CallRecord over = CallRecord.of("CA" + "8".repeat(32), TestServices.ACCOUNT, null, CallDirection.INBOUND,
                "+15550001", "sip:carol@pbx", CallStatus.BUSY, t);
        try (SqliteRecordStore store = SqliteRecordStore.open(db, Duration.ZERO)) {
            store.saveCall(talking);
            store.saveCall(ringing);
            store.saveCall(over);
        }
        try (Services services = TestServices.build(media, "records_db = " + db, "call_log_days = 0")) {
            CallRecord ended = services.records().fetchCall(talking.sid()).orElseThrow();
            assertEquals(CallStatus.COMPLETED, ended.status());
            assertEquals(t.plusSeconds(42), ended.endTime(), "ended at its last known change");
            assertEquals(42, ended.duration());
            assertEquals(CallStatus.FAILED, services.records().fetchCall(ringing.sid()).orElseThrow().status());
            assertEquals(Optional.of(over), services.records().fetchCall(over.sid()), "left as it was");
        }
    }
}
