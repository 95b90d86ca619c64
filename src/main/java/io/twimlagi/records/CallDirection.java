package io.twimlagi.records;

import java.util.Optional;

/** A call's {@code direction} as Twilio names it. */
public enum CallDirection {
    /** A call that reached us (a SIP INVITE). */
    INBOUND("inbound"),
    /** A call started through the REST API ({@code Calls.json} POST). */
    OUTBOUND_API("outbound-api"),
    /** A {@code <Dial>} leg; its {@code parentCallSid} is the call that dialed it. */
    OUTBOUND_DIAL("outbound-dial");

    private final String twilioName;

    CallDirection(String twilioName) {
        this.twilioName = twilioName;
    }

    public String twilioName() {
        return twilioName;
    }

    public static Optional<CallDirection> fromTwilio(String name) {
        for (CallDirection d : values()) {
            if (d.twilioName.equals(name)) return Optional.of(d);
        }
        return Optional.empty();
    }
}
