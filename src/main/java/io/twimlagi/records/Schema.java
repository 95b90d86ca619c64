package io.twimlagi.records;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database file's settings and tables. WAL journal (readers never wait for the writer, nor it for them),
 * {@code synchronous=NORMAL} (a commit survives the process being killed; only a power cut or kernel crash can
 * lose the last commits, never the file's integrity), a 5 s busy timeout. {@code user_version} numbers the schema:
 * a file from a newer version is refused rather than misread; an older one gets the tables added since (version 2:
 * {@code conferences}).
 */
final class Schema {
    static final int VERSION = 2;

    private Schema() {
    }

    static SQLiteDataSource dataSource(String file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    /** Creates the tables in a new file, adds those an older file lacks, checks an existing file's version. */
    static void prepare(Connection c) throws SQLException {
        int version;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > VERSION) {
            throw new SQLException("the file holds schema version " + version + ", written by a newer twiml-agi"
                    + " (this one knows version " + VERSION + ")");
        }
        if (version == VERSION) return;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            String tables = version == 0 ? CallTable.CREATE + RecordingTable.CREATE : "";
            if (version < 2) tables += ConferenceTable.CREATE;
            for (String ddl : tables.split(";")) {
                if (!ddl.isBlank()) st.execute(ddl);
            }
            st.execute("PRAGMA user_version = " + VERSION);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
