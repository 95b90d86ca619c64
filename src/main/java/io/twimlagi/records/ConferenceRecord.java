package io.twimlagi.records;

import java.time.Instant;
import java.util.Objects;

/**
 * One conference as Twilio's Conference resource describes it. {@code friendlyName} is the name in
 * {@code <Conference>}; {@code region} Twilio's region name; {@code domain} the SIP domain whose calls share it (our
 * conferences are per domain, Twilio's per account; not a Twilio field). Set once it ended:
 * {@code reasonConferenceEnded} (Twilio's words: {@code last-participant-left}, {@code conference-ended-via-api},
 * ...) and, when a participant ended it, {@code callSidEndingConference}. Times are kept to the millisecond.
 */
public record ConferenceRecord(String sid, String accountSid, String friendlyName, ConferenceStatus status,
                               String region, Instant dateCreated, Instant dateUpdated, String reasonConferenceEnded,
                               String callSidEndingConference, String domain) {
    public ConferenceRecord {
        CallRecord.requireSid("sid", "CF", sid);
        CallRecord.requireSid("accountSid", "AC", accountSid);
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(region, "region");
        dateCreated = CallRecord.millis(Objects.requireNonNull(dateCreated, "dateCreated"));
        dateUpdated = CallRecord.millis(Objects.requireNonNull(dateUpdated, "dateUpdated"));
        if (callSidEndingConference != null) {
            CallRecord.requireSid("callSidEndingConference", "CA", callSidEndingConference);
        }
    }

    /** A conference just created ({@code init}). */
    public static ConferenceRecord created(String sid, String accountSid, String friendlyName, String region,
                                           String domain, Instant now) {
        return new ConferenceRecord(sid, accountSid, friendlyName, ConferenceStatus.INIT, region, now, now, null, null,
                domain);
    }

    /** The same conference with another status at {@code at}. */
    public ConferenceRecord withStatus(ConferenceStatus status, Instant at) {
        return new ConferenceRecord(sid, accountSid, friendlyName, status, region, dateCreated, at,
                reasonConferenceEnded, callSidEndingConference, domain);
    }

    /** The conference ended at {@code at}, for {@code reason} ({@code endingCallSid} may be null). */
    public ConferenceRecord ended(Instant at, String reason, String endingCallSid) {
        return new ConferenceRecord(sid, accountSid, friendlyName, ConferenceStatus.COMPLETED, region, dateCreated, at,
                Objects.requireNonNull(reason, "reason"), endingCallSid, domain);
    }
}
