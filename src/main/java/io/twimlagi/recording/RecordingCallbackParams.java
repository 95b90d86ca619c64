package io.twimlagi.recording;

import io.twimlagi.twilio.TwilioTime;

import java.time.temporal.TemporalAccessor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of a recording status callback ({@code recordingStatusCallback} of {@code <Record>}), as Twilio
 * sends them for a Record-verb recording: one channel, source {@code RecordVerb}.
 */
public final class RecordingCallbackParams {
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
        p.put("RecordingStartTime", TwilioTime.rfc2822(Objects.requireNonNull(startTime, "startTime")));
        return p;
    }
}
