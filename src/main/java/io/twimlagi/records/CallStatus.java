package io.twimlagi.records;

import java.util.Optional;

/** A call's {@code status} as Twilio names it (the REST resource's field and the {@code Status} filter). */
public enum CallStatus {
    QUEUED("queued"),
    RINGING("ringing"),
    IN_PROGRESS("in-progress"),
    COMPLETED("completed"),
    BUSY("busy"),
    FAILED("failed"),
    NO_ANSWER("no-answer"),
    CANCELED("canceled");

    private final String twilioName;

    CallStatus(String twilioName) {
        this.twilioName = twilioName;
    }

    /** Twilio's word: {@code in-progress}, {@code no-answer}... */
    public String twilioName() {
        return twilioName;
    }

    /** True once the call has ended (completed, busy, failed, no-answer, canceled). */
    public boolean isFinal() {
        return this != QUEUED && this != RINGING && this != IN_PROGRESS;
    }

    /** The status Twilio calls {@code name} (exact, lower case), if any. */
    public static Optional<CallStatus> fromTwilio(String name) {
        for (CallStatus s : values()) {
            if (s.twilioName.equals(name)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
