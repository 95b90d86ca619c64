package io.twimlagi.records;

import java.util.Optional;

/** A recording's {@code status}: Twilio's values. */
public enum RecordingStatus {
    IN_PROGRESS("in-progress"),
    PAUSED("paused"),
    STOPPED("stopped"),
    PROCESSING("processing"),
    COMPLETED("completed"),
    ABSENT("absent"),
    DELETED("deleted");

    private final String twilioName;

    RecordingStatus(String twilioName) {
        this.twilioName = twilioName;
    }

    public String twilioName() {
        return twilioName;
    }

    public static Optional<RecordingStatus> fromTwilio(String name) {
        for (RecordingStatus s : values()) {
            if (s.twilioName.equals(name)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
