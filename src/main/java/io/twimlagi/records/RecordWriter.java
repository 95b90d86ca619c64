package io.twimlagi.records;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread that writes the database. Writers hand it operations through a bounded queue and go on; it takes
 * whatever has queued up (up to {@code maxBatch}) and commits it as one transaction, so a quiet server commits each
 * write at once and a busy one commits hundreds per transaction. A full queue makes the submitting thread wait:
 * nothing is dropped. Saves not yet committed are kept by SID for {@link #pendingCall}/{@link #pendingRecording}.
 *
 * <p>A batch that fails is retried one operation at a time; an operation that still fails is logged (the call's
 * SID first) and given up, so a broken disk never stops the queue, and calls never wait on it for longer than the
 * queue takes to fill. It also purges call (and conference) records older than the retention, at start and then every
 * {@code retention.every}, in chunks with queued writes let through between them.
 */
final class RecordWriter {
    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);
    static final int PURGE_CHUNK = 2000;
    private static final long FULL_WARNING_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    sealed interface Op permits SaveCall, SaveRecording, SaveConference, DeleteRecording, Purge, Barrier, Stop {
    }

    record SaveCall(CallRecord call) implements Op {
    }

    record SaveRecording(RecordingRecord recording) implements Op {
    }

    record SaveConference(ConferenceRecord conference) implements Op {
    }

    record DeleteRecording(String sid, CompletableFuture<Boolean> done) implements Op {
    }

    record Purge(Instant cutoff, CompletableFuture<Integer> done) implements Op {
    }

    /** Completed once everything queued before it is committed. */
    record Barrier(CompletableFuture<Void> done) implements Op {
    }

    record Stop() implements Op {
    }

    /** Call records older than {@code keep} (by dateCreated) are purged every {@code every}. */
    record Retention(Duration keep, Duration every, Clock clock) {
    }

    private final Connection db;
    private final PreparedStatement upsertCall;
    private final PreparedStatement upsertRecording;
    private final PreparedStatement deleteRecording;
    private final PreparedStatement purgeChunk;
    private final PreparedStatement upsertConference;
    private final PreparedStatement purgeConferences;
    private final BlockingQueue<Op> queue;
    private final int maxBatch;
    private final Retention retention;
    private final Map<String, CallRecord> pendingCalls = new ConcurrentHashMap<>();
    private final Map<String, RecordingRecord> pendingRecordings = new ConcurrentHashMap<>();
    private final Map<String, ConferenceRecord> pendingConferences = new ConcurrentHashMap<>();
    /** Saves and deletes submitted and not yet committed (or given up). */
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread thread;
    private volatile long lastFullWarning = System.nanoTime() - FULL_WARNING_EVERY_NANOS;

    /** Takes {@code db} over (autocommit off); {@code retention} null: keep forever. */
    RecordWriter(Connection db, int queueCapacity, int maxBatch, Retention retention) throws SQLException {
        this.db = db;
        db.setAutoCommit(false);
        upsertCall = db.prepareStatement(CallTable.UPSERT);
        upsertRecording = db.prepareStatement(RecordingTable.UPSERT);
        deleteRecording = db.prepareStatement(RecordingTable.DELETE);
        purgeChunk = db.prepareStatement(CallTable.PURGE_CHUNK);
        upsertConference = db.prepareStatement(ConferenceTable.UPSERT);
        purgeConferences = db.prepareStatement(ConferenceTable.PURGE_CHUNK);
        queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.retention = retention;
        thread = new Thread(this::run, "records-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code op}; waits while the queue is full (uninterruptibly: a write is never lost to an interrupt). */
    void submit(Op op) {
        if (op instanceof SaveCall s) {
            pendingCalls.put(s.call().sid(), s.call());
        } else if (op instanceof SaveRecording s) {
            pendingRecordings.put(s.recording().sid(), s.recording());
        } else if (op instanceof SaveConference s) {
            pendingConferences.put(s.conference().sid(), s.conference());
        }
        if (isWrite(op)) pending.incrementAndGet();
        if (queue.offer(op)) return;
        long now = System.nanoTime();
        if (now - lastFullWarning >= FULL_WARNING_EVERY_NANOS) {
            lastFullWarning = now;
            log.warn("records: the write queue is full ({} writes): calls wait for the database", queue.size());
        }
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(op);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    CallRecord pendingCall(String sid) {
        return pendingCalls.get(sid);
    }

    RecordingRecord pendingRecording(String sid) {
        return pendingRecordings.get(sid);
    }

    ConferenceRecord pendingConference(String sid) {
        return pendingConferences.get(sid);
    }

    int pending() {
        return pending.get();
    }

    /** Commits everything queued, closes the connection, ends the thread. */
    void stop() {
        submit(new Stop());
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void run() {
        long nextPurge = System.nanoTime();
        while (true) {
            try {
                Op first;
                if (retention == null) {
                    first = queue.take();
                } else {
                    long wait = nextPurge - System.nanoTime();
                    if (wait <= 0) {
                        purgeExpired();
                        nextPurge = System.nanoTime() + retention.every().toNanos();
                        continue;
                    }
                    first = queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (first == null) continue;
                }
                List<Op> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (process(batch)) return;
            } catch (InterruptedException e) {
                log.warn("records: the writer was interrupted; it goes on");
            } catch (RuntimeException e) {
                log.error("records: the writer failed on a batch and goes on", e);
            }
        }
    }

    /** Applies {@code batch} in order; true once it met {@link Stop} (and closed the connection). */
    private boolean process(List<Op> batch) {
        List<Op> writes = new ArrayList<>(batch.size());
        for (Op op : batch) {
            if (isWrite(op)) {
                writes.add(op);
                continue;
            }
            commit(writes);
            writes.clear();
            if (op instanceof Barrier b) {
                b.done().complete(null);
            } else if (op instanceof Purge p) {
                try {
                    p.done().complete(purge(p.cutoff()));
                } catch (SQLException e) {
                    p.done().completeExceptionally(new RecordStoreException("cannot purge call records: "
                            + e.getMessage(), e));
                }
            } else if (op instanceof Stop) {
                closeDatabase();
                return true;
            }
        }
        commit(writes);
        return false;
    }

    private static boolean isWrite(Op op) {
        return op instanceof SaveCall || op instanceof SaveRecording || op instanceof SaveConference
                || op instanceof DeleteRecording;
    }

    /** One transaction for {@code writes}; on failure, one each, giving up (logged) those that still fail. */
    private void commit(List<Op> writes) {
        if (writes.isEmpty()) return;
        Object[] results = new Object[writes.size()];
        try {
            for (int i = 0; i < results.length; i++) results[i] = apply(writes.get(i));
            db.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            if (writes.size() == 1) {
                giveUp(writes.get(0), e);
            } else {
                log.warn("records: a batch of {} writes failed ({}); writing them one at a time", writes.size(),
                        e.getMessage());
                for (Op op : writes) commit(List.of(op));
            }
            return;
        }
        for (int i = 0; i < results.length; i++) committed(writes.get(i), results[i]);
    }

    private Object apply(Op op) throws SQLException {
        if (op instanceof SaveCall s) {
            CallTable.bind(upsertCall, s.call());
            upsertCall.executeUpdate();
            return null;
        }
        if (op instanceof SaveRecording s) {
            RecordingTable.bind(upsertRecording, s.recording());
            upsertRecording.executeUpdate();
            return null;
        }
        if (op instanceof SaveConference s) {
            ConferenceTable.bind(upsertConference, s.conference());
            upsertConference.executeUpdate();
            return null;
        }
        DeleteRecording d = (DeleteRecording) op;
        deleteRecording.setString(1, d.sid());
        return deleteRecording.executeUpdate() > 0;
    }

    private void committed(Op op, Object result) {
        if (op instanceof SaveCall s) {
            pendingCalls.remove(s.call().sid(), s.call());
        } else if (op instanceof SaveRecording s) {
            pendingRecordings.remove(s.recording().sid(), s.recording());
        } else if (op instanceof SaveConference s) {
            pendingConferences.remove(s.conference().sid(), s.conference());
        } else {
            ((DeleteRecording) op).done().complete((Boolean) result);
        }
        pending.decrementAndGet();
    }

    private void giveUp(Op op, Exception e) {
        if (op instanceof SaveCall s) {
            log.error("{} call record lost: the database refused it: {}", s.call().sid(), e.getMessage());
            pendingCalls.remove(s.call().sid(), s.call());
        } else if (op instanceof SaveRecording s) {
            log.error("{} recording record lost ({}): the database refused it: {}", s.recording().callSid(),
                    s.recording().sid(), e.getMessage());
            pendingRecordings.remove(s.recording().sid(), s.recording());
        } else if (op instanceof SaveConference s) {
            log.error("conference record {} lost: the database refused it: {}", s.conference().sid(), e.getMessage());
            pendingConferences.remove(s.conference().sid(), s.conference());
        } else {
            DeleteRecording d = (DeleteRecording) op;
            d.done().completeExceptionally(new RecordStoreException("cannot delete recording " + d.sid() + ": "
                    + e.getMessage(), e));
        }
        pending.decrementAndGet();
    }

    /**
     * Deletes call and conference records created before {@code cutoff}, a chunk per transaction, queued writes in
     * between; returns how many call records went.
     */
    private int purge(Instant cutoff) throws SQLException {
        int calls = purge(purgeChunk, cutoff);
        int conferences = purge(purgeConferences, cutoff);
        if (conferences > 0) log.info("records: purged {} conference records created before {}", conferences, cutoff);
        return calls;
    }

    private int purge(PreparedStatement chunk, Instant cutoff) throws SQLException {
        int total = 0;
        while (true) {
            int n;
            try {
                chunk.setLong(1, cutoff.toEpochMilli());
                chunk.setInt(2, PURGE_CHUNK);
                n = chunk.executeUpdate();
                db.commit();
            } catch (SQLException e) {
                rollback();
                throw e;
            }
            total += n;
            if (n < PURGE_CHUNK) return total;
            List<Op> writes = new ArrayList<>();
            Op head;
            while (writes.size() < maxBatch && (head = queue.peek()) != null && isWrite(head)) writes.add(queue.poll());
            commit(writes);
        }
    }

    private void purgeExpired() {
        Instant cutoff = retention.clock().instant().minus(retention.keep());
        try {
            int n = purge(cutoff);
            if (n > 0) log.info("records: purged {} call records created before {}", n, cutoff);
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA optimize");
            }
            db.commit();
        } catch (SQLException e) {
            log.error("records: cannot purge call records created before {}: {}", cutoff, e.getMessage());
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException e) {
            log.error("records: rollback failed: {}", e.getMessage());
        }
    }

    private void closeDatabase() {
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA optimize");
            db.commit();
        } catch (SQLException e) {
            log.warn("records: PRAGMA optimize at close failed: {}", e.getMessage());
        }
        try {
            db.close();
        } catch (SQLException e) {
            log.error("records: closing the database failed: {}", e.getMessage());
        }
    }
}
