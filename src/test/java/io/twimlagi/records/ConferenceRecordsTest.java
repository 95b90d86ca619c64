package io.twimlagi.records;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.twimlagi.records.Fixtures.ACCOUNT;
import static io.twimlagi.records.Fixtures.call;
import static io.twimlagi.records.Fixtures.callSid;
import static io.twimlagi.records.Fixtures.conferenceSid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conference records in the store: upserts, Twilio's list filters, paging, retention, a version-1 file. */
class ConferenceRecordsTest {
    @TempDir
    Path dir;
    SqliteRecordStore store;

    @BeforeEach
    void open() throws IOException {
        store = SqliteRecordStore.open(dir.resolve("twiml-agi.db"), Duration.ZERO);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Instant at(String iso) {
        return Instant.parse(iso);
    }

    static ConferenceRecord conference(long n, String name, Instant created) {
        return ConferenceRecord.created(conferenceSid(n), ACCOUNT, name, "us1", "pbx.example.com", created);
    }

    List<String> sids(ConferenceQuery q) {
        return store.listConferences(q, 0, 50).items().stream().map(ConferenceRecord::sid).toList();
    }

    @Test
    void aConferenceIsSavedAsItChangesAndReadBackWhole() {
        Instant t = at("2024-05-01T10:00:00Z");
        ConferenceRecord init = conference(1, "Team Room", t);
        store.saveConference(init);
        assertEquals(Optional.of(init), store.fetchConference(conferenceSid(1)), "read before the commit");
        ConferenceRecord started = init.withStatus(ConferenceStatus.IN_PROGRESS, t.plusSeconds(2));
        store.saveConference(started);
        ConferenceRecord ended = started.ended(t.plusSeconds(60), "participant-with-end-conference-on-exit-left",
                callSid(7));
        store.saveConference(ended);
        store.flush();
        ConferenceRecord read = store.fetchConference(conferenceSid(1)).orElseThrow();
        assertEquals(ended, read);
        assertEquals(ConferenceStatus.COMPLETED, read.status());
        assertEquals(t, read.dateCreated());
        assertEquals(t.plusSeconds(60), read.dateUpdated());
        assertEquals(callSid(7), read.callSidEndingConference());
        assertEquals(Optional.empty(), store.fetchConference(conferenceSid(2)));
    }

    @Test
    void twiliosFiltersAndPagingNewestFirst() {
        Instant t = at("2024-05-01T10:00:00Z");
        store.saveConference(conference(1, "a", t));
        store.saveConference(conference(2, "b", t.plusSeconds(86_400)).withStatus(ConferenceStatus.IN_PROGRESS,
                t.plusSeconds(86_401)));
        store.saveConference(conference(3, "a", t.plusSeconds(2 * 86_400)).withStatus(ConferenceStatus.IN_PROGRESS,
                t.plusSeconds(2 * 86_400)).ended(t.plusSeconds(3 * 86_400), "last-participant-left", null));
        assertEquals(List.of(conferenceSid(3), conferenceSid(2), conferenceSid(1)), sids(ConferenceQuery.ALL));
        assertEquals(List.of(conferenceSid(3), conferenceSid(1)), sids(q("FriendlyName", "a")));
        assertEquals(List.of(conferenceSid(2)), sids(q("Status", "in-progress")));
        assertEquals(List.of(conferenceSid(3)), sids(q("Status", "completed")));
        assertEquals(List.of(conferenceSid(1)), sids(q("Status", "init")));
        assertEquals(List.of(conferenceSid(2)), sids(q("DateCreated", "2024-05-02")));
        assertEquals(List.of(conferenceSid(3), conferenceSid(2)), sids(q("DateCreated>", "2024-05-02")));
        assertEquals(List.of(conferenceSid(2), conferenceSid(1)), sids(q("DateCreated<", "2024-05-02T10:00:00")));
        assertEquals(List.of(conferenceSid(3)), sids(q("DateUpdated", "2024-05-04")));
        assertEquals(List.of(conferenceSid(3)), sids(q("DateUpdated>", "2024-05-03")));

        Page<ConferenceRecord> first = store.listConferences(ConferenceQuery.ALL, 0, 2);
        assertTrue(first.hasNext());
        Page<ConferenceRecord> second = store.listConferences(ConferenceQuery.ALL, 1, 2);
        assertFalse(second.hasNext());
        assertEquals(conferenceSid(1), second.items().get(0).sid());

        FilterException e = assertThrows(FilterException.class, () -> ConferenceQuery.fromTwilio(
                Map.of("Status", "ringing")));
        assertEquals("Status", e.parameter());
    }

    static ConferenceQuery q(String name, String value) {
        return ConferenceQuery.fromTwilio(Map.of(name, value));
    }

    @Test
    void retentionPurgesOldConferencesWithTheCalls() {
        Instant t = at("2024-06-01T00:00:00Z");
        store.saveConference(conference(1, "old", t));
        store.saveConference(conference(2, "new", t.plusSeconds(10)));
        store.saveCall(call(1, t));
        assertEquals(1, store.purgeCallsOlderThan(t.plusSeconds(5)));
        assertEquals(Optional.empty(), store.fetchConference(conferenceSid(1)));
        assertTrue(store.fetchConference(conferenceSid(2)).isPresent());
    }

    @Test
    void aVersionOneFileGetsTheConferencesTableAndKeepsItsCalls() throws Exception {
        store.close();
        Path old = dir.resolve("v1.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement st = c.createStatement()) {
            for (String ddl : (CallTable.CREATE + RecordingTable.CREATE).split(";")) {
                if (!ddl.isBlank()) st.execute(ddl);
            }
            st.execute("PRAGMA user_version = 1");
        }
        store = SqliteRecordStore.open(old, Duration.ZERO);
        store.saveCall(call(1, at("2024-06-01T00:00:00Z")));
        store.saveConference(conference(1, "room", at("2024-06-01T00:00:00Z")));
        store.close();
        store = SqliteRecordStore.open(old, Duration.ZERO);
        assertTrue(store.fetchCall(callSid(1)).isPresent());
        assertEquals("room", store.fetchConference(conferenceSid(1)).orElseThrow().friendlyName());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement st = c.createStatement();
             var rs = st.executeQuery("PRAGMA user_version")) {
            assertEquals(2, rs.getInt(1));
        }
    }
}
