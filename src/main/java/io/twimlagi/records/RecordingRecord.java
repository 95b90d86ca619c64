package io.twimlagi.records;

import java.time.Instant;
import java.util.Objects;

/**
 * One recording's metadata as Twilio's Recording resource describes it (the audio file itself is
 * {@link io.twimlagi.recording.RecordingStore}'s). Nullable: {@code callSid}, {@code conferenceSid} (a conference
 * recording has one, a call's the other), {@code duration} (whole seconds; null while unknown, e.g. in progress),
 * {@code errorCode}. {@code channels} is 1 or 2. Times are kept to the millisecond.
 */
public record RecordingRecord(String sid, String accountSid, String callSid, String conferenceSid,
                              Instant dateCreated, Instant dateUpdated, Instant startTime, Integer duration,
                              int channels, RecordingSource source, RecordingStatus status, Integer errorCode) {
    public RecordingRecord {
        CallRecord.requireSid("sid", "RE", sid);
        CallRecord.requireSid("accountSid", "AC", accountSid);
        if (callSid != null) CallRecord.requireSid("callSid", "CA", callSid);
        if (conferenceSid != null) CallRecord.requireSid("conferenceSid", "CF", conferenceSid);
        dateCreated = CallRecord.millis(Objects.requireNonNull(dateCreated, "dateCreated"));
        dateUpdated = CallRecord.millis(Objects.requireNonNull(dateUpdated, "dateUpdated"));
        startTime = CallRecord.millis(Objects.requireNonNull(startTime, "startTime"));
        if (duration != null && duration < 0) throw new IllegalArgumentException("duration < 0: " + duration);
        if (channels != 1 && channels != 2) throw new IllegalArgumentException("channels not 1 or 2: " + channels);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
    }

    public RecordingRecord withStatus(RecordingStatus status, Instant dateUpdated) {
        return new RecordingRecord(sid, accountSid, callSid, conferenceSid, dateCreated, dateUpdated, startTime,
                duration, channels, source, status, errorCode);
    }

    public RecordingRecord withDuration(Integer duration, Instant dateUpdated) {
        return new RecordingRecord(sid, accountSid, callSid, conferenceSid, dateCreated, dateUpdated, startTime,
                duration, channels, source, status, errorCode);
    }

    public RecordingRecord withErrorCode(Integer errorCode, Instant dateUpdated) {
        return new RecordingRecord(sid, accountSid, callSid, conferenceSid, dateCreated, dateUpdated, startTime,
                duration, channels, source, status, errorCode);
    }
}
