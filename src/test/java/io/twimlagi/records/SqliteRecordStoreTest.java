package io.twimlagi.records;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.twimlagi.records.Fixtures.ACCOUNT;
import static io.twimlagi.records.Fixtures.call;
import static io.twimlagi.records.Fixtures.callSid;
import static io.twimlagi.records.Fixtures.conferenceSid;
import static io.twimlagi.records.Fixtures.recording;
import static io.twimlagi.records.Fixtures.recordingSid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's contract: filters, paging, order, upserts, recordings, purge, durability, read-your-writes. */
class SqliteRecordStoreTest {
    @TempDir
    Path dir;
    Path file;
    SqliteRecordStore store;

    @BeforeEach
    void open() throws IOException {
        file = dir.resolve("sub/twiml-agi.db");
        store = SqliteRecordStore.open(file, Duration.ZERO);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Instant at(String iso) {
        return Instant.parse(iso);
    }

    /** The filter fixture: five calls whose answers to each filter are worked out by hand. */
    private void saveFilterFixture() {
        CallRecord c1 = CallRecord.of(callSid(1), ACCOUNT, null, CallDirection.INBOUND, "+15550001", "sip:alice@pbx",
                        CallStatus.COMPLETED, at("2024-05-01T10:00:00Z"))
                .withStartTime(at("2024-05-01T10:00:00Z")).ended(CallStatus.COMPLETED, at("2024-05-01T10:05:00Z"), 300,
                        200);
        CallRecord c2 = CallRecord.of(callSid(2), ACCOUNT, null, CallDirection.INBOUND, "+15550002", "sip:bob@pbx",
                        CallStatus.BUSY, at("2024-05-02T00:00:00Z"))
                .withStartTime(at("2024-05-02T00:00:00Z")).ended(CallStatus.BUSY, at("2024-05-02T00:00:10Z"), 0, 486);
        CallRecord c3 = CallRecord.of(callSid(3), ACCOUNT, null, CallDirection.OUTBOUND_API, "+15550002",
                        "sip:alice@pbx", CallStatus.NO_ANSWER, at("2024-05-02T23:59:59.999Z"))
                .withStartTime(at("2024-05-02T23:59:59.999Z"))
                .ended(CallStatus.NO_ANSWER, at("2024-05-03T00:00:30Z"), 0, 408);
        CallRecord c4 = CallRecord.of(callSid(4), ACCOUNT, callSid(1), CallDirection.OUTBOUND_DIAL, "+15550001",
                        "sip:carol@pbx", CallStatus.COMPLETED, at("2024-05-01T10:00:30Z"))
                .withStartTime(at("2024-05-01T10:01:00Z")).ended(CallStatus.COMPLETED, at("2024-05-01T10:04:00Z"), 180,
                        200);
        CallRecord c5 = CallRecord.of(callSid(5), ACCOUNT, null, CallDirection.OUTBOUND_API, "+15550003",
                "sip:alice@pbx", CallStatus.QUEUED, at("2024-05-03T12:00:00Z"));
        for (CallRecord c : List.of(c1, c2, c3, c4, c5)) store.saveCall(c);
    }

    private List<Integer> numbers(Page<CallRecord> page) {
        List<Integer> out = new ArrayList<>();
        for (CallRecord c : page.items()) out.add(Integer.parseInt(c.sid().substring(2), 16));
        return out;
    }

    private static Map<String, String> params(String query) {
        Map<String, String> m = new HashMap<>();
        if (query.isEmpty()) return m;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            m.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return m;
    }

    /** Each Twilio filter as a URL would carry it ({@code StartTime<=D} is the parameter {@code StartTime<}). */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                                 | 5 3 2 4 1",
            "To=sip:alice@pbx                                   | 5 3 1",
            "From=+15550002                                     | 3 2",
            "Status=completed                                   | 4 1",
            "Status=queued                                      | 5",
            "ParentCallSid=CA00000000000000000000000000000001   | 4",
            "StartTime=2024-05-02                               | 3 2",
            "StartTime=2024-05-02T15:00:00                      | 3 2",
            "StartTime=2024-05-01                               | 4 1",
            "StartTime<=2024-05-01T23:59:59.999                 | 4 1",
            "StartTime>=2024-05-02                              | 3 2",
            "StartTime<=2024-05-02                              | 2 4 1",
            "StartTime>=2024-05-01T10:00:30                     | 3 2 4",
            "StartTime<=2024-05-01T10:01:00                     | 4 1",
            "StartTime>=2024-05-02T01:00:00+02:00               | 3 2",
            "StartTime>=2024-05-01&StartTime<=2024-05-02        | 2 4 1",
            "EndTime=2024-05-03                                 | 3",
            "EndTime>=2024-05-02                                | 3 2",
            "EndTime<=2024-05-01T10:04:00                       | 4",
            "To=sip:alice@pbx&Status=no-answer                  | 3",
            "To=sip:nobody@pbx                                  | ''",
    })
    void eachFilter(String query, String expected) {
        saveFilterFixture();
        // as a URL's query splits: "StartTime<=2024-05-02" is the parameter "StartTime<" with "2024-05-02"
        Map<String, String> fixed = params(query);
        Page<CallRecord> page = store.listCalls(CallQuery.fromTwilio(fixed), 0, 50);
        List<Integer> want = expected.isEmpty() ? List.of()
                : Arrays.stream(expected.split(" ")).map(Integer::parseInt).toList();
        assertEquals(want, numbers(page), query);
        assertFalse(page.hasNext());
        // the in-memory rule agrees with the SQL
        for (CallRecord c : page.items()) assertTrue(CallQuery.fromTwilio(fixed).matches(c), c.sid());
    }

    @Test
    void pagingFromZeroWithHasNext() {
        Instant t0 = at("2024-06-01T00:00:00Z");
        for (int i = 1; i <= 120; i++) store.saveCall(call(i, t0.plusSeconds(i)));
        Page<CallRecord> p0 = store.listCalls(CallQuery.ALL, 0, 50);
        assertEquals(50, p0.items().size());
        assertTrue(p0.hasNext());
        assertEquals(callSid(120), p0.items().get(0).sid(), "newest first");
        assertEquals(callSid(71), p0.items().get(49).sid());
        Page<CallRecord> p1 = store.listCalls(CallQuery.ALL, 1, 50);
        assertEquals(callSid(70), p1.items().get(0).sid());
        assertTrue(p1.hasNext());
        Page<CallRecord> last = store.listCalls(CallQuery.ALL, 2, 50);
        assertEquals(20, last.items().size());
        assertEquals(callSid(1), last.items().get(19).sid());
        assertFalse(last.hasNext());
        assertEquals(new Page<>(List.of(), 3, 50, false), store.listCalls(CallQuery.ALL, 3, 50), "past the end");
        assertEquals(new Page<>(List.of(), 1_000_000, 1000, false), store.listCalls(CallQuery.ALL, 1_000_000, 1000));

        Page<CallRecord> exact = store.listCalls(CallQuery.ALL, 1, 60);
        assertEquals(60, exact.items().size());
        assertFalse(exact.hasNext(), "a full last page has no next");
        assertEquals(120, store.listCalls(CallQuery.ALL, 0, Page.MAX_SIZE).items().size());
        assertEquals(List.of(callSid(120)), store.listCalls(CallQuery.ALL, 0, 1).items().stream()
                .map(CallRecord::sid).toList());
        assertThrows(IllegalArgumentException.class, () -> store.listCalls(CallQuery.ALL, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> store.listCalls(CallQuery.ALL, 0, Page.MAX_SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> store.listCalls(CallQuery.ALL, -1, 50));
    }

    @Test
    void sameDateCreatedIsOrderedBySidDescending() {
        Instant t = at("2024-06-01T00:00:00Z");
        for (long n : new long[] {0x20, 0xff, 0x3, 0xa0}) store.saveCall(call(n, t));
        store.saveCall(call(0x1, t.plusMillis(1)));
        assertEquals(List.of(callSid(0x1), callSid(0xff), callSid(0xa0), callSid(0x20), callSid(0x3)),
                store.listCalls(CallQuery.ALL, 0, 50).items().stream().map(CallRecord::sid).toList());
        // the order holds across page boundaries too
        assertEquals(List.of(callSid(0xa0), callSid(0x20)),
                store.listCalls(CallQuery.ALL, 1, 2).items().stream().map(CallRecord::sid).toList());
    }

    @Test
    void aSaveReplacesTheRecordWithItsSid() throws IOException {
        Instant t = at("2024-06-01T10:00:00Z");
        CallRecord ringing = CallRecord.of(callSid(9), ACCOUNT, null, CallDirection.OUTBOUND_API, "+15550009",
                "sip:dave@pbx", CallStatus.RINGING, t);
        store.saveCall(ringing);
        CallRecord answered = ringing.withStatus(CallStatus.IN_PROGRESS).withStartTime(t.plusSeconds(3))
                .withDateUpdated(t.plusSeconds(3));
        store.saveCall(answered);
        CallRecord done = answered.ended(CallStatus.COMPLETED, t.plusSeconds(15), 12, 200)
                .withSipDetails("abc@client", "pbx.example.com", "Dave", "+15550000");
        store.saveCall(done);
        assertEquals(Optional.of(done), store.fetchCall(callSid(9)));
        assertEquals(List.of(done), store.listCalls(CallQuery.ALL, 0, 50).items());
        assertEquals(List.of(), store.listCalls(CallQuery.ALL.withStatus(CallStatus.RINGING), 0, 50).items(),
                "no stale row for the old status");
        store.close();
        store = SqliteRecordStore.open(file, Duration.ZERO);
        assertEquals(Optional.of(done), store.fetchCall(callSid(9)), "every field survives a reopen");
        assertEquals(Optional.empty(), store.fetchCall(callSid(10)));
    }

    @Test
    void recordingsFetchListAndDelete() {
        Instant t = at("2024-06-01T10:00:00Z");
        RecordingRecord r1 = recording(1, callSid(1), null, t);
        RecordingRecord r2 = recording(2, callSid(1), null, t.plusSeconds(60));
        RecordingRecord r3 = recording(3, null, conferenceSid(7), at("2024-06-02T09:00:00Z"));
        RecordingRecord r4 = recording(4, callSid(2), null, at("2024-06-03T00:00:00Z"));
        for (RecordingRecord r : List.of(r1, r2, r3, r4)) store.saveRecording(r);
        assertEquals(Optional.of(r3), store.fetchRecording(recordingSid(3)));
        assertEquals(List.of(r4, r3, r2, r1), store.listRecordings(RecordingQuery.ALL, 0, 50).items());
        assertEquals(List.of(r2, r1), store.listRecordings(RecordingQuery.ALL.withCallSid(callSid(1)), 0, 50).items());
        assertEquals(List.of(r3), store.listRecordings(
                RecordingQuery.fromTwilio(Map.of("ConferenceSid", conferenceSid(7))), 0, 50).items());
        assertEquals(List.of(r2, r1), store.listRecordings(
                RecordingQuery.fromTwilio(Map.of("DateCreated", "2024-06-01")), 0, 50).items());
        assertEquals(List.of(r4, r3), store.listRecordings(
                RecordingQuery.fromTwilio(Map.of("DateCreated>", "2024-06-02")), 0, 50).items());
        assertEquals(List.of(r4, r3, r2, r1), store.listRecordings(
                RecordingQuery.fromTwilio(Map.of("DateCreated<", "2024-06-03")), 0, 50).items(), "midnight inclusive");
        assertEquals(List.of(r2), store.listRecordings(
                RecordingQuery.fromTwilio(Map.of("CallSid", callSid(1), "DateCreated>", "2024-06-01T10:00:30")), 0,
                50).items());
        Page<RecordingRecord> first = store.listRecordings(RecordingQuery.ALL, 0, 3);
        assertTrue(first.hasNext());
        assertEquals(List.of(r1), store.listRecordings(RecordingQuery.ALL, 1, 3).items());

        RecordingRecord updated = r2.withStatus(RecordingStatus.DELETED, t.plusSeconds(90)).withErrorCode(16104,
                t.plusSeconds(90));
        store.saveRecording(updated);
        assertEquals(Optional.of(updated), store.fetchRecording(recordingSid(2)));

        assertTrue(store.deleteRecording(recordingSid(2)));
        assertFalse(store.deleteRecording(recordingSid(2)), "gone already");
        assertFalse(store.deleteRecording(recordingSid(99)), "never was");
        assertEquals(Optional.empty(), store.fetchRecording(recordingSid(2)));
        assertEquals(List.of(r1), store.listRecordings(RecordingQuery.ALL.withCallSid(callSid(1)), 0, 50).items());
    }

    @Test
    void aSaveThenADeleteInOneBatchLeavesNothing() {
        RecordingRecord r = recording(5, callSid(5), null, at("2024-06-01T10:00:00Z"));
        store.saveRecording(r);
        assertTrue(store.deleteRecording(r.sid()), "the queued save counts");
        assertEquals(Optional.empty(), store.fetchRecording(r.sid()));
    }

    @Test
    void readsSeeWritesThatReturnedBeforeThem() {
        Instant t = at("2024-06-01T10:00:00Z");
        for (int i = 0; i < 2000; i++) {
            CallRecord c = call(i, t.plusMillis(i));
            store.saveCall(c);
            if (i % 97 == 0) {
                assertEquals(Optional.of(c), store.fetchCall(c.sid()), "fetch right after save");
                assertEquals(c, store.listCalls(CallQuery.ALL, 0, 1).items().get(0), "list right after save");
            }
        }
        RecordingRecord r = recording(1, callSid(1), null, t);
        store.saveRecording(r);
        assertEquals(Optional.of(r), store.fetchRecording(r.sid()));
        assertEquals(List.of(r), store.listRecordings(RecordingQuery.ALL, 0, 50).items());
    }

    @Test
    void purgeDeletesOldCallsAndKeepsRecordings() {
        Instant t = at("2024-06-01T00:00:00Z");
        for (int i = 0; i < 5000; i++) store.saveCall(call(i, t.plusSeconds(i)));   // more than one purge chunk
        store.saveRecording(recording(1, callSid(1), null, t));
        assertEquals(4500, store.purgeCallsOlderThan(t.plusSeconds(4500)));
        assertEquals(Optional.empty(), store.fetchCall(callSid(4499)));
        assertEquals(callSid(4500), store.listCalls(CallQuery.ALL, 4, 100).items().get(99).sid());
        assertFalse(store.listCalls(CallQuery.ALL, 4, 100).hasNext());
        assertTrue(store.fetchRecording(recordingSid(1)).isPresent(), "recordings stay until deleted");
        assertEquals(0, store.purgeCallsOlderThan(t));
    }

    @Test
    void aClosedStoreRefusesWorkAndClosesOnce() {
        store.saveCall(call(1, at("2024-06-01T00:00:00Z")));
        store.close();
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.saveCall(call(2, at("2024-06-01T00:00:00Z"))));
        assertEquals("the record store is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> store.fetchCall(callSid(1)));
        assertThrows(IllegalStateException.class, () -> store.deleteRecording(recordingSid(1)));
        store.flush();   // nothing left to wait for
    }

    @Test
    void theFileIsTheOwnersOnly() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aFileThatIsNotOursIsRefused() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "this is not a database, just some text that is long enough to have a header".repeat(20));
        IOException e = assertThrows(IOException.class, () -> SqliteRecordStore.open(junk, Duration.ZERO));
        assertTrue(e.getMessage().startsWith("cannot open the records database " + junk + ": "), e.getMessage());

        Path newer = dir.resolve("newer.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 3");
        }
        IOException v = assertThrows(IOException.class, () -> SqliteRecordStore.open(newer, Duration.ZERO));
        assertTrue(v.getMessage().contains("schema version 3, written by a newer twiml-agi"), v.getMessage());
    }

    /**
     * Every list query reads through an index, and one with an equality or an exact day searches one (the page
     * time of about a millisecond out of 10,000 calls, BENCHMARKS.md, rests on it).
     */
    @Test
    void everyFilterIsServedByAnIndex() throws Exception {
        Map<String, Sql> queries = new java.util.LinkedHashMap<>();
        for (String q : new String[] {"", "To=x", "From=x", "Status=busy", "ParentCallSid=x", "StartTime=2024-05-01",
                "StartTime>=2024-05-01", "StartTime<=2024-05-01", "EndTime=2024-05-01", "EndTime>=2024-05-01",
                "EndTime<=2024-05-01", "To=x&Status=busy&StartTime>=2024-05-01", "From=x&EndTime=2024-05-01"}) {
            queries.put(q, CallTable.list(CallQuery.fromTwilio(params(q)), 3, 50));
        }
        for (String q : new String[] {"", "CallSid=x", "ConferenceSid=x", "DateCreated=2024-05-01",
                "DateCreated<=2024-05-01", "CallSid=x&DateCreated>=2024-05-01"}) {
            queries.put("recordings?" + q, RecordingTable.list(RecordingQuery.fromTwilio(params(q)), 3, 50));
        }
        for (String q : new String[] {"", "FriendlyName=x", "Status=completed", "DateCreated=2024-05-01",
                "DateUpdated>=2024-05-01", "FriendlyName=x&Status=init&DateCreated<=2024-05-01"}) {
            queries.put("conferences?" + q, ConferenceTable.list(ConferenceQuery.fromTwilio(params(q)), 3, 50));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (Map.Entry<String, Sql> e : queries.entrySet()) {
                List<String> plan = new ArrayList<>();
                try (java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + e.getValue().text())) {
                    e.getValue().bind(ps);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) plan.add(rs.getString(4));
                    }
                }
                for (String step : plan) {
                    assertTrue(step.matches(".*USING (COVERING )?INDEX .*|.*USING INTEGER PRIMARY KEY.*"
                                    + "|USE TEMP B-TREE FOR ORDER BY|LIST SUBQUERY.*"),
                            e.getKey() + " => " + plan);
                }
                String filters = e.getKey().replaceFirst("^(recordings|conferences)\\?", "");
                boolean equality = params(filters).keySet().stream()
                        .anyMatch(k -> !k.endsWith("<") && !k.endsWith(">"));
                if (equality) {
                    assertTrue(plan.stream().anyMatch(step -> step.startsWith("SEARCH")), e.getKey() + " => " + plan);
                }
            }
        }
    }
}
