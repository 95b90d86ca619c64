package io.twimlagi.records;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code calls} table: its columns, how a {@link CallRecord} is written to and read from a row, the queries. */
final class CallTable {
    static final String COLUMNS = "sid, account_sid, parent_call_sid, direction, from_addr, to_addr, status,"
            + " date_created, date_updated, start_time, end_time, duration, answered_by, caller_name, forwarded_from,"
            + " sip_call_id, sip_response_code, domain";

    static final String CREATE = """
            CREATE TABLE calls (
              sid TEXT PRIMARY KEY NOT NULL,
              account_sid TEXT NOT NULL,
              parent_call_sid TEXT,
              direction TEXT NOT NULL,
              from_addr TEXT NOT NULL,
              to_addr TEXT NOT NULL,
              status TEXT NOT NULL,
              date_created INTEGER NOT NULL,
              date_updated INTEGER NOT NULL,
              start_time INTEGER,
              end_time INTEGER,
              duration INTEGER,
              answered_by TEXT,
              caller_name TEXT,
              forwarded_from TEXT,
              sip_call_id TEXT,
              sip_response_code INTEGER,
              domain TEXT
            );
            CREATE INDEX calls_newest ON calls (date_created, sid, start_time, end_time);
            CREATE INDEX calls_to ON calls (to_addr, date_created, sid);
            CREATE INDEX calls_from ON calls (from_addr, date_created, sid);
            CREATE INDEX calls_status ON calls (status, date_created, sid);
            CREATE INDEX calls_parent ON calls (parent_call_sid, date_created, sid) WHERE parent_call_sid IS NOT NULL;
            CREATE INDEX calls_start ON calls (start_time, date_created, sid);
            CREATE INDEX calls_end ON calls (end_time, date_created, sid);
            """;

    /** An upsert: a saved record replaces the row with its SID whole. */
    static final String UPSERT = "INSERT INTO calls (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?) ON CONFLICT (sid) DO UPDATE SET account_sid = excluded.account_sid,"
            + " parent_call_sid = excluded.parent_call_sid, direction = excluded.direction,"
            + " from_addr = excluded.from_addr, to_addr = excluded.to_addr, status = excluded.status,"
            + " date_created = excluded.date_created, date_updated = excluded.date_updated,"
            + " start_time = excluded.start_time, end_time = excluded.end_time, duration = excluded.duration,"
            + " answered_by = excluded.answered_by, caller_name = excluded.caller_name,"
            + " forwarded_from = excluded.forwarded_from, sip_call_id = excluded.sip_call_id,"
            + " sip_response_code = excluded.sip_response_code, domain = excluded.domain";

    static final String FETCH = "SELECT " + COLUMNS + " FROM calls WHERE sid = ?";

    /** One chunk of the retention purge (small chunks let queued writes through between them). */
    static final String PURGE_CHUNK = "DELETE FROM calls WHERE rowid IN"
            + " (SELECT rowid FROM calls WHERE date_created < ? LIMIT ?)";

    private CallTable() {
    }

    static void bind(PreparedStatement ps, CallRecord c) throws SQLException {
        ps.setString(1, c.sid());
        ps.setString(2, c.accountSid());
        ps.setString(3, c.parentCallSid());
        ps.setString(4, c.direction().twilioName());
        ps.setString(5, c.from());
        ps.setString(6, c.to());
        ps.setString(7, c.status().twilioName());
        ps.setLong(8, c.dateCreated().toEpochMilli());
        ps.setLong(9, c.dateUpdated().toEpochMilli());
        ps.setObject(10, Sql.millis(c.startTime()));
        ps.setObject(11, Sql.millis(c.endTime()));
        ps.setObject(12, c.duration());
        ps.setString(13, c.answeredBy());
        ps.setString(14, c.callerName());
        ps.setString(15, c.forwardedFrom());
        ps.setString(16, c.sipCallId());
        ps.setObject(17, c.sipResponseCode());
        ps.setString(18, c.domain());
    }

    static CallRecord read(ResultSet rs) throws SQLException {
        return new CallRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                CallDirection.fromTwilio(rs.getString(4)).orElseThrow(() -> Sql.unknown("direction", rs, 4)),
                rs.getString(5), rs.getString(6),
                CallStatus.fromTwilio(rs.getString(7)).orElseThrow(() -> Sql.unknown("status", rs, 7)),
                Sql.instant(rs, 8), Sql.instant(rs, 9), Sql.instant(rs, 10), Sql.instant(rs, 11),
                Sql.integer(rs, 12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16),
                Sql.integer(rs, 17), rs.getString(18));
    }

    /** The page's rows plus one (to know whether a next page exists), newest first. */
    static Sql list(CallQuery q, int page, int pageSize) {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        Sql.equal(where, args, "to_addr", q.to());
        Sql.equal(where, args, "from_addr", q.from());
        Sql.equal(where, args, "status", q.status() == null ? null : q.status().twilioName());
        Sql.equal(where, args, "parent_call_sid", q.parentCallSid());
        Sql.range(where, args, "start_time", q.startTime());
        Sql.range(where, args, "end_time", q.endTime());
        return Sql.page("calls", COLUMNS, where, args, page, pageSize);
    }
}
