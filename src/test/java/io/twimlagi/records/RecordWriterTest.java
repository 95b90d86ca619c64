package io.twimlagi.records;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static io.twimlagi.records.Fixtures.call;
import static io.twimlagi.records.Fixtures.callSid;
import static io.twimlagi.records.Fixtures.recording;
import static io.twimlagi.records.Fixtures.recordingSid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The writer thread: durability across close, concurrency, a full queue, a refused write, retention. */
class RecordWriterTest {
    @TempDir
    Path dir;
    final List<SqliteRecordStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(SqliteRecordStore::close);
    }

    private SqliteRecordStore open(SqliteRecordStore.Settings settings) throws IOException {
        SqliteRecordStore s = SqliteRecordStore.open(dir.resolve("r.db"), settings);
        opened.add(s);
        return s;
    }

    private SqliteRecordStore open() throws IOException {
        return open(SqliteRecordStore.Settings.of(Duration.ZERO));
    }

    private static Set<String> allCallSids(RecordStore store) {
        Set<String> sids = new HashSet<>();
        for (int page = 0; ; page++) {
            Page<CallRecord> p = store.listCalls(CallQuery.ALL, page, Page.MAX_SIZE);
            p.items().forEach(c -> sids.add(c.sid()));
            if (!p.hasNext()) return sids;
        }
    }

    /** Polls {@code condition} (the event it waits for) for up to 10 s. */
    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting: " + what);
            Thread.sleep(5);
        }
    }

    /** Reads the file directly (not through the store): what a restart would find. */
    private long countRows(String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("r.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void closeCommitsEverythingQueued() throws Exception {
        SqliteRecordStore store = open();
        Instant t = Instant.parse("2024-06-01T00:00:00Z");
        Set<String> saved = new HashSet<>();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("r.db"));
             Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE");   // holds the writer back: the saves below stay queued
            for (int i = 0; i < 5000; i++) {
                CallRecord c = call(i, t.plusMillis(i));
                store.saveCall(c.ended(CallStatus.COMPLETED, t.plusSeconds(60), 60, 200));
                saved.add(c.sid());
            }
            store.saveRecording(recording(1, callSid(1), null, t));
            assertEquals(5001, store.pendingWrites(), "nothing committed yet");
            st.execute("COMMIT");
        }
        store.close();   // a graceful restart: close commits what is still queued
        assertEquals(5000, countRows("calls"), "all in the file after close");
        SqliteRecordStore again = open();
        assertEquals(saved, allCallSids(again));
        assertEquals(Optional.of(call(4321, t.plusMillis(4321)).ended(CallStatus.COMPLETED, t.plusSeconds(60), 60,
                200)), again.fetchCall(callSid(4321)));
        assertTrue(again.fetchRecording(recordingSid(1)).isPresent());
    }

    @Test
    void eightThreadsWritingAtOnce() throws Exception {
        SqliteRecordStore store = open();
        Instant t = Instant.parse("2024-06-01T00:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int th = 0; th < 8; th++) {
            int base = th * 1000;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = base; i < base + 1000; i++) {
                    CallRecord c = call(i, t.plusMillis(i));
                    store.saveCall(c.withStatus(CallStatus.RINGING));
                    store.saveCall(c.ended(CallStatus.COMPLETED, t.plusSeconds(30), 30, 200));
                    if (i % 10 == 0) store.saveRecording(recording(i, c.sid(), null, t.plusMillis(i)));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        store.flush();
        assertEquals(0, store.pendingWrites());
        assertEquals(8000, allCallSids(store).size());
        assertEquals(List.of(), store.listCalls(CallQuery.ALL.withStatus(CallStatus.RINGING), 0, 10).items(),
                "each SID's last save (from its own thread) wins");
        assertEquals(800, countRows("recordings"));
        assertEquals(Optional.of(call(7777, t.plusMillis(7777)).ended(CallStatus.COMPLETED, t.plusSeconds(30), 30,
                200)), store.fetchCall(callSid(7777)));
    }

    @Test
    void aFullQueueMakesTheCallerWaitAndLosesNothing() throws Exception {
        SqliteRecordStore store = open(new SqliteRecordStore.Settings(Duration.ZERO, Duration.ofDays(1),
                Clock.systemUTC(), 2, 1, 1));
        Instant t = Instant.parse("2024-06-01T00:00:00Z");
        // another process holds the write lock: the writer waits on it (busy timeout) and the queue fills
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("r.db"));
             Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            st.execute("INSERT INTO recordings (sid, account_sid, date_created, date_updated, start_time, channels,"
                    + " source, status) VALUES ('" + recordingSid(9) + "', '" + Fixtures.ACCOUNT
                    + "', 0, 0, 0, 1, 'RecordVerb', 'completed')");
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    for (int i = 0; i < 6; i++) store.saveCall(call(i, t.plusMillis(i)));
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            caller.start();
            awaitTrue("the caller blocked on the full queue", () -> caller.getState() == Thread.State.WAITING);
            assertTrue(caller.isAlive());
            st.execute("COMMIT");
            caller.join(10_000);
            assertFalse(caller.isAlive());
            assertEquals(null, failed.get());
        }
        store.flush();
        assertEquals(6, allCallSids(store).size());
        assertTrue(store.fetchRecording(recordingSid(9)).isPresent());
    }

    @Test
    void aRefusedWriteIsGivenUpAloneAndTheRestOfItsBatchIsKept() throws Exception {
        SqliteRecordStore store = open();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("r.db"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER refuse BEFORE INSERT ON calls WHEN NEW.to_addr = 'sip:refused@pbx'"
                    + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        }
        Instant t = Instant.parse("2024-06-01T00:00:00Z");
        CallRecord bad = CallRecord.of(callSid(500), Fixtures.ACCOUNT, null, CallDirection.INBOUND, "+1",
                "sip:refused@pbx", CallStatus.COMPLETED, t);
        for (int i = 0; i < 300; i++) {
            store.saveCall(call(i, t.plusMillis(i)));
            if (i == 150) store.saveCall(bad);
        }
        store.flush();
        assertEquals(300, allCallSids(store).size(), "the good ones of every batch are kept");
        assertEquals(Optional.empty(), store.fetchCall(bad.sid()), "not shown as if saved");
        assertEquals(0, store.pendingWrites());
        store.saveCall(call(1000, t));
        assertTrue(store.fetchCall(callSid(1000)).isPresent(), "the writer goes on");
    }

    @Test
    void retentionPurgesAtOpenAndThenPeriodically() throws Exception {
        Instant now = Instant.parse("2024-06-30T12:00:00Z");
        SqliteRecordStore store = open();
        store.saveCall(call(1, now.minus(Duration.ofDays(31))));
        store.saveCall(call(2, now.minus(Duration.ofDays(29))));
        store.saveCall(call(3, now.minus(Duration.ofHours(1))));
        store.saveRecording(recording(1, callSid(1), null, now.minus(Duration.ofDays(31))));
        store.close();
        opened.clear();

        MovableClock clock = new MovableClock(now);
        SqliteRecordStore kept = open(new SqliteRecordStore.Settings(Duration.ofDays(30), Duration.ofMillis(20),
                clock, 100, 10, 1));
        awaitTrue("the 31-day-old call purged at open", () -> kept.fetchCall(callSid(1)).isEmpty());
        assertTrue(kept.fetchCall(callSid(2)).isPresent());
        assertTrue(kept.fetchRecording(recordingSid(1)).isPresent(), "recordings are not the call log's");
        clock.now = now.plus(Duration.ofDays(2));
        awaitTrue("the 29-day-old call purged two days later", () -> kept.fetchCall(callSid(2)).isEmpty());
        assertTrue(kept.fetchCall(callSid(3)).isPresent());
    }

    @Test
    void zeroRetentionKeepsForever() throws Exception {
        SqliteRecordStore store = open(new SqliteRecordStore.Settings(Duration.ZERO, Duration.ofMillis(1),
                new MovableClock(Instant.parse("2100-01-01T00:00:00Z")), 100, 10, 1));
        store.saveCall(call(1, Instant.parse("2000-01-01T00:00:00Z")));
        store.flush();
        store.close();
        opened.clear();
        assertEquals(1, countRows("calls"));
    }

    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
