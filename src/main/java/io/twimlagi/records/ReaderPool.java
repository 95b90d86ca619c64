package io.twimlagi.records;

import org.sqlite.SQLiteDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A few read-only connections shared by the reading threads (a SQLite connection serves one thread at a time). In
 * WAL mode each statement reads one consistent snapshot and never waits for the writer.
 */
final class ReaderPool implements AutoCloseable {
    interface Read<T> {
        T apply(Connection c) throws SQLException;
    }

    private final List<Connection> all = new ArrayList<>();
    private final BlockingQueue<Connection> idle;

    ReaderPool(SQLiteDataSource ds, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                Connection c = ds.getConnection();
                all.add(c);
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA query_only = 1");
                }
                idle.add(c);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Runs {@code read} on an idle connection (waiting for one); {@code what} names it in errors. */
    <T> T read(String what, Read<T> read) {
        Connection c;
        try {
            c = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordStoreException("interrupted while waiting to read " + what, e);
        }
        try {
            return read.apply(c);
        } catch (SQLException e) {
            throw new RecordStoreException("cannot read " + what + ": " + e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing: nothing left to do with it
            }
        }
    }
}
