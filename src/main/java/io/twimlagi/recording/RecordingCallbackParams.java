package io.twimlagi.recording;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of a recording status callback ({@code recordingStatusCallback} of {@code <Record>}), as Twilio
 * sends them for a Record-verb recording: one channel, source {@code RecordVerb}.
 */
public final class RecordingCallbackParams {
    /** RFC 2822 as Twilio writes it: {@code Fri, 20 Aug 2010 01:13:42 +0000}. */
    static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private RecordingCallbackParams() {
    }

    /** {@code RecordingStatus=completed}. */
    public static Map<String, String> completed(String accountSid, String callSid, String recordingSid,
                                                String recordingUrl, int durationSeconds, TemporalAccessor startTime) {
        return of("completed", accountSid, callSid, recordingSid, recordingUrl, durationSeconds, startTime);
    }

    /**
     * Any status ({@code in-progress}, {@code completed}, {@code absent}, {@code failed}); parameters in the order
     * Twilio documents them. A mutable, ordered map. {@code startTime}: an Instant, ZonedDateTime or
     * OffsetDateTime (formatted in UTC).
     */
    public static Map<String, String> of(String status, String accountSid, String callSid, String recordingSid,
                                         String recordingUrl, int durationSeconds, TemporalAccessor startTime) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", Objects.requireNonNull(accountSid, "accountSid"));
        p.put("CallSid", Objects.requireNonNull(callSid, "callSid"));
        p.put("RecordingSid", Objects.requireNonNull(recordingSid, "recordingSid"));
        p.put("RecordingUrl", Objects.requireNonNull(recordingUrl, "recordingUrl"));
        p.put("RecordingStatus", Objects.requireNonNull(status, "status"));
        p.put("RecordingDuration", Integer.toString(durationSeconds));
        p.put("RecordingChannels", "1");
        p.put("RecordingSource", "RecordVerb");
        p.put("RecordingStartTime", rfc2822(Objects.requireNonNull(startTime, "startTime")));
        return p;
    }

    /**
     * {@code Fri, 20 Aug 2010 01:13:42 +0000} (converted to UTC, English names). {@code t} must denote an instant:
     * an {@link java.time.Instant}, {@link java.time.ZonedDateTime} or {@link java.time.OffsetDateTime}.
     */
    public static String rfc2822(TemporalAccessor t) {
        return RFC_2822.format(t);
    }
}
