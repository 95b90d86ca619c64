package io.twimlagi.records;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The instants a time filter lets through: {@code from} (inclusive) up to {@code until} (exclusive), either end
 * open when null. Kept to the millisecond, like the records. A record whose time is null (a call not yet started,
 * not yet ended) is inside no range but {@link #ANY}.
 */
public record TimeRange(Instant from, Instant until) {
    /** No filter. */
    public static final TimeRange ANY = new TimeRange(null, null);

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    public TimeRange {
        from = CallRecord.millis(from);
        until = CallRecord.millis(until);
    }

    /** The UTC day {@code day}: [00:00:00, next day 00:00:00). */
    public static TimeRange day(LocalDate day) {
        return new TimeRange(day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** {@code t} and later. */
    public static TimeRange onOrAfter(Instant t) {
        return new TimeRange(t, null);
    }

    /** {@code t} and earlier (to the millisecond). */
    public static TimeRange onOrBefore(Instant t) {
        return new TimeRange(null, t.truncatedTo(ChronoUnit.MILLIS).plusMillis(1));
    }

    public boolean isAny() {
        return from == null && until == null;
    }

    /** The instants in both ranges. */
    public TimeRange and(TimeRange other) {
        Instant f = from == null ? other.from : other.from == null || from.isAfter(other.from) ? from : other.from;
        Instant u = until == null ? other.until : other.until == null || until.isBefore(other.until) ? until : other.until;
        return new TimeRange(f, u);
    }

    public boolean contains(Instant t) {
        if (isAny()) return true;
        if (t == null) return false;
        long ms = t.toEpochMilli();
        return (from == null || ms >= from.toEpochMilli()) && (until == null || ms < until.toEpochMilli());
    }

    /**
     * Twilio's three filters on one time field, as its API documents them and its SDKs send them (Java SDK 10:
     * {@code StartTime} with {@code setStartTime}, {@code StartTime>} with {@code setStartTimeAfter},
     * {@code StartTime<} with {@code setStartTimeBefore}; {@code StartTime>=2024-05-01} in a URL is the parameter
     * {@code StartTime>}): {@code name} exact = the UTC day of the value; {@code name>} = on or after the value;
     * {@code name<} = on or before it. A value is {@code YYYY-MM-DD} (that day's midnight, UTC, as Twilio words
     * it) or {@code YYYY-MM-DDTHH:MM:SS} (UTC; the SDK's form; an offset or {@code Z} may follow). Several are
     * combined (all must hold). Empty values are ignored.
     *
     * @throws FilterException naming the parameter whose value is not such a date
     */
    public static TimeRange fromTwilio(Map<String, String> params, String name) {
        TimeRange range = ANY;
        String exact = value(params, name);
        if (exact != null) range = range.and(day(parse(name, exact).day));
        String after = value(params, name + ">");
        if (after != null) range = range.and(onOrAfter(parse(name + ">", after).instant));
        String before = value(params, name + "<");
        if (before != null) range = range.and(onOrBefore(parse(name + "<", before).instant));
        return range;
    }

    static String value(Map<String, String> params, String name) {
        String v = params.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private record Parsed(LocalDate day, Instant instant) {
    }

    private static Parsed parse(String parameter, String text) {
        try {
            if (DATE.matcher(text).matches()) {
                LocalDate d = LocalDate.parse(text);
                return new Parsed(d, d.atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (!text.matches(".*T[^+Z-]*")) {  // an offset or Z after the time
                OffsetDateTime t = OffsetDateTime.parse(text);
                return new Parsed(t.atZoneSameInstant(ZoneOffset.UTC).toLocalDate(), t.toInstant());
            }
            LocalDateTime t = LocalDateTime.parse(text);
            return new Parsed(t.toLocalDate(), t.toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw new FilterException(parameter, "bad value for '" + parameter + "': '" + text
                    + "' is not a date (YYYY-MM-DD) or a UTC date-time (YYYY-MM-DDTHH:MM:SS)");
        }
    }
}
