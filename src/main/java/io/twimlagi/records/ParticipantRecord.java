package io.twimlagi.records;

import java.time.Instant;
import java.util.Objects;

/**
 * One participant of a conference in progress, as Twilio's Participant resource describes it. Participants exist
 * only while they are in a conference (as at Twilio, a completed conference lists none), so this is a snapshot of
 * live state, never stored. {@code status} is Twilio's word ({@code connected}); {@code label} the
 * {@code participantLabel} (may be null); {@code hold}: on hold (out of the mix, hearing the hold audio).
 */
public record ParticipantRecord(String accountSid, String callSid, String conferenceSid, String label, boolean muted,
                                boolean hold, boolean coaching, boolean endConferenceOnExit,
                                boolean startConferenceOnEnter, String status, Instant dateCreated,
                                Instant dateUpdated) {
    public static final String CONNECTED = "connected";

    public ParticipantRecord {
        CallRecord.requireSid("accountSid", "AC", accountSid);
        CallRecord.requireSid("callSid", "CA", callSid);
        CallRecord.requireSid("conferenceSid", "CF", conferenceSid);
        Objects.requireNonNull(status, "status");
        dateCreated = CallRecord.millis(Objects.requireNonNull(dateCreated, "dateCreated"));
        dateUpdated = CallRecord.millis(Objects.requireNonNull(dateUpdated, "dateUpdated"));
    }
}
