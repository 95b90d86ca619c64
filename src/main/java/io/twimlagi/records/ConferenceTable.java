package io.twimlagi.records;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code conferences} table (schema version 2): columns, row mapping, queries. */
final class ConferenceTable {
    static final String COLUMNS = "sid, account_sid, friendly_name, status, region, date_created, date_updated,"
            + " reason_ended, call_sid_ending, domain";

    static final String CREATE = """
            CREATE TABLE conferences (
              sid TEXT PRIMARY KEY NOT NULL,
              account_sid TEXT NOT NULL,
              friendly_name TEXT NOT NULL,
              status TEXT NOT NULL,
              region TEXT NOT NULL,
              date_created INTEGER NOT NULL,
              date_updated INTEGER NOT NULL,
              reason_ended TEXT,
              call_sid_ending TEXT,
              domain TEXT
            );
            CREATE INDEX conferences_newest ON conferences (date_created, sid);
            CREATE INDEX conferences_name ON conferences (friendly_name, date_created, sid);
            CREATE INDEX conferences_status ON conferences (status, date_created, sid);
            CREATE INDEX conferences_updated ON conferences (date_updated, date_created, sid);
            """;

    static final String UPSERT = "INSERT INTO conferences (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (sid) DO UPDATE SET account_sid = excluded.account_sid,"
            + " friendly_name = excluded.friendly_name, status = excluded.status, region = excluded.region,"
            + " date_created = excluded.date_created, date_updated = excluded.date_updated,"
            + " reason_ended = excluded.reason_ended, call_sid_ending = excluded.call_sid_ending,"
            + " domain = excluded.domain";

    static final String FETCH = "SELECT " + COLUMNS + " FROM conferences WHERE sid = ?";

    /** One chunk of the retention purge, as for calls. */
    static final String PURGE_CHUNK = "DELETE FROM conferences WHERE rowid IN"
            + " (SELECT rowid FROM conferences WHERE date_created < ? LIMIT ?)";

    private ConferenceTable() {
    }

    static void bind(PreparedStatement ps, ConferenceRecord c) throws SQLException {
        ps.setString(1, c.sid());
        ps.setString(2, c.accountSid());
        ps.setString(3, c.friendlyName());
        ps.setString(4, c.status().twilioName());
        ps.setString(5, c.region());
        ps.setLong(6, c.dateCreated().toEpochMilli());
        ps.setLong(7, c.dateUpdated().toEpochMilli());
        ps.setString(8, c.reasonConferenceEnded());
        ps.setString(9, c.callSidEndingConference());
        ps.setString(10, c.domain());
    }

    static ConferenceRecord read(ResultSet rs) throws SQLException {
        return new ConferenceRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                ConferenceStatus.fromTwilio(rs.getString(4)).orElseThrow(() -> Sql.unknown("status", rs, 4)),
                rs.getString(5), Sql.instant(rs, 6), Sql.instant(rs, 7), rs.getString(8), rs.getString(9),
                rs.getString(10));
    }

    static Sql list(ConferenceQuery q, int page, int pageSize) {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        Sql.equal(where, args, "friendly_name", q.friendlyName());
        Sql.equal(where, args, "status", q.status() == null ? null : q.status().twilioName());
        Sql.range(where, args, "date_created", q.dateCreated());
        Sql.range(where, args, "date_updated", q.dateUpdated());
        return Sql.page("conferences", COLUMNS, where, args, page, pageSize);
    }
}
