package io.twimlagi.records;

import java.util.Optional;

/**
 * A conference's {@code status} as Twilio names it: {@code init} (participants are in, none started it yet),
 * {@code in-progress} (a participant with startConferenceOnEnter joined), {@code completed} (it ended).
 */
public enum ConferenceStatus {
    INIT("init"),
    IN_PROGRESS("in-progress"),
    COMPLETED("completed");

    private final String twilioName;

    ConferenceStatus(String twilioName) {
        this.twilioName = twilioName;
    }

    public String twilioName() {
        return twilioName;
    }

    /** The status Twilio calls {@code name} (exact, lower case), if any. */
    public static Optional<ConferenceStatus> fromTwilio(String name) {
        for (ConferenceStatus s : values()) {
            if (s.twilioName.equals(name)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
