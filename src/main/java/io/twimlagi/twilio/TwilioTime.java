package io.twimlagi.twilio;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/** Dates as Twilio writes them in callbacks and REST resources. */
public final class TwilioTime {
    /** RFC 2822 as Twilio writes it: {@code Fri, 20 Aug 2010 01:13:42 +0000}. */
    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private TwilioTime() {
    }

    /**
     * {@code Fri, 20 Aug 2010 01:13:42 +0000} (converted to UTC, English names). {@code t} must denote an instant:
     * an {@link java.time.Instant}, {@link java.time.ZonedDateTime} or {@link java.time.OffsetDateTime}.
     */
    public static String rfc2822(TemporalAccessor t) {
        return RFC_2822.format(t);
    }
}
