package io.twimlagi.records;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** A statement's text and its arguments in order, plus the column conversions both tables share. */
record Sql(String text, List<Object> args) {
    /** Binds {@link #args} to {@code ps}. */
    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
    }

    /**
     * Newest first (date_created, then sid, descending), one row more than the page to tell whether more follow.
     * The page's rowids are picked from the indexes alone (each filter's index ends with date_created, sid), then
     * only those rows are read: a filter matching thousands of calls sorts index entries, not whole rows.
     */
    static Sql page(String table, String columns, StringBuilder where, List<Object> args, int page, int pageSize) {
        Page.check(page, pageSize);
        args.add(pageSize + 1);
        args.add((long) page * pageSize);
        String order = " ORDER BY date_created DESC, sid DESC";
        return new Sql("SELECT " + columns + " FROM " + table + " WHERE rowid IN (SELECT rowid FROM " + table + where
                + order + " LIMIT ? OFFSET ?)" + order, List.copyOf(args));
    }

    static void equal(StringBuilder where, List<Object> args, String column, String value) {
        if (value == null) return;
        where.append(where.isEmpty() ? " WHERE " : " AND ").append(column).append(" = ?");
        args.add(value);
    }

    static void range(StringBuilder where, List<Object> args, String column, TimeRange range) {
        if (range.from() != null) {
            where.append(where.isEmpty() ? " WHERE " : " AND ").append(column).append(" >= ?");
            args.add(range.from().toEpochMilli());
        }
        if (range.until() != null) {
            where.append(where.isEmpty() ? " WHERE " : " AND ").append(column).append(" < ?");
            args.add(range.until().toEpochMilli());
        }
    }

    static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    static Integer integer(ResultSet rs, int column) throws SQLException {
        int n = rs.getInt(column);
        return rs.wasNull() ? null : n;
    }

    /** A value this version does not know (written by a newer one, or by hand). */
    static IllegalStateException unknown(String what, ResultSet rs, int column) {
        try {
            return new IllegalStateException("unknown " + what + " '" + rs.getString(column) + "' in the database");
        } catch (SQLException e) {
            return new IllegalStateException("unknown " + what + " in the database", e);
        }
    }
}
