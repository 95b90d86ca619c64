package io.twimlagi.records;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code recordings} table: columns, row mapping, queries. */
final class RecordingTable {
    static final String COLUMNS = "sid, account_sid, call_sid, conference_sid, date_created, date_updated,"
            + " start_time, duration, channels, source, status, error_code";

    static final String CREATE = """
            CREATE TABLE recordings (
              sid TEXT PRIMARY KEY NOT NULL,
              account_sid TEXT NOT NULL,
              call_sid TEXT,
              conference_sid TEXT,
              date_created INTEGER NOT NULL,
              date_updated INTEGER NOT NULL,
              start_time INTEGER NOT NULL,
              duration INTEGER,
              channels INTEGER NOT NULL,
              source TEXT NOT NULL,
              status TEXT NOT NULL,
              error_code INTEGER
            );
            CREATE INDEX recordings_newest ON recordings (date_created, sid);
            CREATE INDEX recordings_call ON recordings (call_sid, date_created, sid) WHERE call_sid IS NOT NULL;
            CREATE INDEX recordings_conference ON recordings (conference_sid, date_created, sid)
              WHERE conference_sid IS NOT NULL;
            """;

    static final String UPSERT = "INSERT INTO recordings (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?) ON CONFLICT (sid) DO UPDATE SET account_sid = excluded.account_sid,"
            + " call_sid = excluded.call_sid, conference_sid = excluded.conference_sid,"
            + " date_created = excluded.date_created, date_updated = excluded.date_updated,"
            + " start_time = excluded.start_time, duration = excluded.duration, channels = excluded.channels,"
            + " source = excluded.source, status = excluded.status, error_code = excluded.error_code";

    static final String FETCH = "SELECT " + COLUMNS + " FROM recordings WHERE sid = ?";
    static final String DELETE = "DELETE FROM recordings WHERE sid = ?";

    private RecordingTable() {
    }

    static void bind(PreparedStatement ps, RecordingRecord r) throws SQLException {
        ps.setString(1, r.sid());
        ps.setString(2, r.accountSid());
        ps.setString(3, r.callSid());
        ps.setString(4, r.conferenceSid());
        ps.setLong(5, r.dateCreated().toEpochMilli());
        ps.setLong(6, r.dateUpdated().toEpochMilli());
        ps.setLong(7, r.startTime().toEpochMilli());
        ps.setObject(8, r.duration());
        ps.setInt(9, r.channels());
        ps.setString(10, r.source().twilioName());
        ps.setString(11, r.status().twilioName());
        ps.setObject(12, r.errorCode());
    }

    static RecordingRecord read(ResultSet rs) throws SQLException {
        return new RecordingRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Sql.instant(rs, 5), Sql.instant(rs, 6), Sql.instant(rs, 7), Sql.integer(rs, 8), rs.getInt(9),
                RecordingSource.fromTwilio(rs.getString(10)).orElseThrow(() -> Sql.unknown("source", rs, 10)),
                RecordingStatus.fromTwilio(rs.getString(11)).orElseThrow(() -> Sql.unknown("status", rs, 11)),
                Sql.integer(rs, 12));
    }

    static Sql list(RecordingQuery q, int page, int pageSize) {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        Sql.equal(where, args, "call_sid", q.callSid());
        Sql.equal(where, args, "conference_sid", q.conferenceSid());
        Sql.range(where, args, "date_created", q.dateCreated());
        return Sql.page("recordings", COLUMNS, where, args, page, pageSize);
    }
}
