package io.twimlagi.records;

import java.util.Optional;

/** What made a recording: Twilio's {@code source} values. */
public enum RecordingSource {
    RECORD_VERB("RecordVerb"),
    DIAL_VERB("DialVerb"),
    CONFERENCE("Conference"),
    OUTBOUND_API("OutboundAPI"),
    TRUNKING("Trunking"),
    START_CALL_RECORDING_API("StartCallRecordingAPI"),
    START_CONFERENCE_RECORDING_API("StartConferenceRecordingAPI");

    private final String twilioName;

    RecordingSource(String twilioName) {
        this.twilioName = twilioName;
    }

    public String twilioName() {
        return twilioName;
    }

    public static Optional<RecordingSource> fromTwilio(String name) {
        for (RecordingSource s : values()) {
            if (s.twilioName.equals(name)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
