package io.twimlagi.records;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link RecordStore} on one SQLite file (WAL journal; see {@link Schema}). Writes go through {@link RecordWriter}
 * (one thread, batched commits, a bounded queue of {@value #QUEUE_CAPACITY} writes); reads go to a small pool of
 * read-only connections. Read-your-writes: a fetch sees a save still queued (kept by SID until committed); a list
 * first waits (up to {@value #LIST_FLUSH_WAIT_MS} ms) until the writes queued before it are committed.
 */
public final class SqliteRecordStore implements RecordStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteRecordStore.class);
    static final int QUEUE_CAPACITY = 10_000;
    static final int MAX_BATCH = 200;
    static final int READERS = 2;
    static final long LIST_FLUSH_WAIT_MS = 2000;

    /** What {@link #open(Path, Settings)} tunes; tests shorten the purge period and move the clock. */
    record Settings(Duration retention, Duration purgeEvery, Clock clock, int queueCapacity, int maxBatch,
                    int readers) {
        Settings {
            if (retention.isNegative()) throw new IllegalArgumentException("retention < 0: " + retention);
        }

        static Settings of(Duration retention) {
            return new Settings(retention, Duration.ofDays(1), Clock.systemUTC(), QUEUE_CAPACITY, MAX_BATCH, READERS);
        }
    }

    private final Path file;
    private final RecordWriter writer;
    private final ReaderPool readers;
    /** Held shared by every operation, exclusively to close: nothing slips in after the writer's last batch. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private SqliteRecordStore(Path file, RecordWriter writer, ReaderPool readers) {
        this.file = file;
        this.writer = writer;
        this.readers = readers;
    }

    /**
     * Opens (or creates, mode 0600, with its folders) the database {@code file}. Call records created more than
     * {@code retention} ago are purged now and then daily; {@link Duration#ZERO} keeps them forever (a
     * negative one is an {@link IllegalArgumentException}).
     *
     * @throws IOException when the file cannot be created, opened, or is not this store's database
     */
    public static SqliteRecordStore open(Path file, Duration retention) throws IOException {
        return open(file, Settings.of(retention));
    }

    static SqliteRecordStore open(Path file, Settings settings) throws IOException {
        Objects.requireNonNull(file, "file");
        createPrivately(file);
        SQLiteDataSource ds = Schema.dataSource(file.toString());
        Connection db = null;
        ReaderPool pool = null;
        try {
            db = ds.getConnection();
            Schema.prepare(db);
            pool = new ReaderPool(ds, settings.readers());
            boolean forever = settings.retention().isZero();
            RecordWriter writer = new RecordWriter(db, settings.queueCapacity(), settings.maxBatch(),
                    forever ? null : new RecordWriter.Retention(settings.retention(), settings.purgeEvery(),
                            settings.clock()));
            SqliteRecordStore store = new SqliteRecordStore(file, writer, pool);
            writer.start();
            log.info("records: {} open ({})", file, forever ? "call records kept forever"
                    : "call records kept " + settings.retention().toDays() + " days");
            return store;
        } catch (SQLException | RuntimeException e) {
            if (pool != null) pool.close();
            closeQuietly(db);
            throw new IOException("cannot open the records database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void saveCall(CallRecord call) {
        Objects.requireNonNull(call, "call");
        submit(new RecordWriter.SaveCall(call));
    }

    @Override
    public Optional<CallRecord> fetchCall(String sid) {
        Objects.requireNonNull(sid, "sid");
        return read(() -> {
            CallRecord queued = writer.pendingCall(sid);
            if (queued != null) return Optional.of(queued);
            return readers.read("call " + sid, c -> fetch(c, CallTable.FETCH, sid, CallTable::read));
        });
    }

    @Override
    public Page<CallRecord> listCalls(CallQuery query, int page, int pageSize) {
        Sql sql = CallTable.list(query, page, pageSize);
        return read(() -> {
            awaitQueuedWrites();
            return readers.read("calls", c -> page(c, sql, page, pageSize, CallTable::read));
        });
    }

    @Override
    public void saveRecording(RecordingRecord recording) {
        Objects.requireNonNull(recording, "recording");
        submit(new RecordWriter.SaveRecording(recording));
    }

    @Override
    public Optional<RecordingRecord> fetchRecording(String sid) {
        Objects.requireNonNull(sid, "sid");
        return read(() -> {
            RecordingRecord queued = writer.pendingRecording(sid);
            if (queued != null) return Optional.of(queued);
            return readers.read("recording " + sid, c -> fetch(c, RecordingTable.FETCH, sid, RecordingTable::read));
        });
    }

    @Override
    public Page<RecordingRecord> listRecordings(RecordingQuery query, int page, int pageSize) {
        Sql sql = RecordingTable.list(query, page, pageSize);
        return read(() -> {
            awaitQueuedWrites();
            return readers.read("recordings", c -> page(c, sql, page, pageSize, RecordingTable::read));
        });
    }

    @Override
    public void saveConference(ConferenceRecord conference) {
        Objects.requireNonNull(conference, "conference");
        submit(new RecordWriter.SaveConference(conference));
    }

    @Override
    public Optional<ConferenceRecord> fetchConference(String sid) {
        Objects.requireNonNull(sid, "sid");
        return read(() -> {
            ConferenceRecord queued = writer.pendingConference(sid);
            if (queued != null) return Optional.of(queued);
            return readers.read("conference " + sid, c -> fetch(c, ConferenceTable.FETCH, sid, ConferenceTable::read));
        });
    }

    @Override
    public Page<ConferenceRecord> listConferences(ConferenceQuery query, int page, int pageSize) {
        Sql sql = ConferenceTable.list(query, page, pageSize);
        return read(() -> {
            awaitQueuedWrites();
            return readers.read("conferences", c -> page(c, sql, page, pageSize, ConferenceTable::read));
        });
    }

    @Override
    public boolean deleteRecording(String sid) {
        Objects.requireNonNull(sid, "sid");
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        submit(new RecordWriter.DeleteRecording(sid, done));
        return await(done);
    }

    @Override
    public int purgeCallsOlderThan(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        CompletableFuture<Integer> done = new CompletableFuture<>();
        submit(new RecordWriter.Purge(cutoff, done));
        return await(done);
    }

    @Override
    public void flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lifecycle.readLock().lock();
        try {
            if (closed || writer.pending() == 0) return;   // close() committed everything
            writer.submit(new RecordWriter.Barrier(done));
        } finally {
            lifecycle.readLock().unlock();
        }
        await(done);
    }

    @Override
    public int pendingWrites() {
        return writer.pending();
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
        } finally {
            lifecycle.writeLock().unlock();
        }
        writer.stop();
        readers.close();
        log.info("records: {} closed", file);
    }

    private void submit(RecordWriter.Op op) {
        lifecycle.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("the record store is closed");
            writer.submit(op);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private interface Reading<T> {
        T get();
    }

    private <T> T read(Reading<T> reading) {
        lifecycle.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("the record store is closed");
            return reading.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Lets the writes queued so far reach the database, so a list shows them; bounded (a stuck disk). */
    private void awaitQueuedWrites() {
        if (writer.pending() == 0) return;
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.submit(new RecordWriter.Barrier(done));
        try {
            done.get(LIST_FLUSH_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("records: writes still queued after {} ms; listing what is committed", LIST_FLUSH_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // a barrier never fails
        }
    }

    private static <T> T await(CompletableFuture<T> done) {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordStoreException("interrupted while waiting for the database", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordStoreException r) throw r;
            throw new RecordStoreException(e.getCause().getMessage(), e.getCause());
        }
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> Optional<T> fetch(Connection c, String sql, String sid, RowReader<T> row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        }
    }

    private static <T> Page<T> page(Connection c, Sql sql, int page, int pageSize, RowReader<T> row)
            throws SQLException {
        List<T> items = new ArrayList<>(Math.min(pageSize + 1, 64));
        try (PreparedStatement ps = c.prepareStatement(sql.text())) {
            sql.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) items.add(row.read(rs));
            }
        }
        boolean hasNext = items.size() > pageSize;
        return new Page<>(hasNext ? items.subList(0, pageSize) : items, page, pageSize, hasNext);
    }

    /** A new file is created readable by its owner only: it holds callers' numbers. */
    private static void createPrivately(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        if (Files.exists(file)) return;
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);   // not a POSIX file system
        } catch (FileAlreadyExistsException e) {
            // created meanwhile: opened as it is
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException e) {
            // already failing
        }
    }
}
