package io.twimlagi.records;

import io.twimlagi.twilio.Sids;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One call as Twilio's Call resource describes it: an inbound SIP call, a REST-created call or a {@code <Dial>} leg.
 * Nullable: {@code parentCallSid} (set on Dial legs), {@code startTime} (null until the call is dialed, as at
 * Twilio), {@code endTime}, {@code duration} (whole seconds, set when the call ends), {@code answeredBy},
 * {@code callerName}, {@code forwardedFrom}, {@code sipCallId}, {@code sipResponseCode}, {@code domain} (the SIP
 * domain's name). Times are kept to the millisecond (the constructor truncates), so what is saved is what is read.
 */
public record CallRecord(String sid, String accountSid, String parentCallSid, CallDirection direction, String from,
                         String to, CallStatus status, Instant dateCreated, Instant dateUpdated, Instant startTime,
                         Instant endTime, Integer duration, String answeredBy, String callerName,
                         String forwardedFrom, String sipCallId, Integer sipResponseCode, String domain) {
    public CallRecord {
        requireSid("sid", "CA", sid);
        requireSid("accountSid", "AC", accountSid);
        if (parentCallSid != null) requireSid("parentCallSid", "CA", parentCallSid);
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(status, "status");
        dateCreated = millis(Objects.requireNonNull(dateCreated, "dateCreated"));
        dateUpdated = millis(Objects.requireNonNull(dateUpdated, "dateUpdated"));
        startTime = millis(startTime);
        endTime = millis(endTime);
        if (duration != null && duration < 0) throw new IllegalArgumentException("duration < 0: " + duration);
        if (sipResponseCode != null && (sipResponseCode < 100 || sipResponseCode > 699)) {
            throw new IllegalArgumentException("sipResponseCode not 100..699: " + sipResponseCode);
        }
    }

    /** A call just created: {@code dateCreated = dateUpdated = now}, every optional field null. */
    public static CallRecord of(String sid, String accountSid, String parentCallSid, CallDirection direction,
                                String from, String to, CallStatus status, Instant now) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, now, now, null, null, null,
                null, null, null, null, null, null);
    }

    public CallRecord withStatus(CallStatus status) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, dateUpdated,
                startTime, endTime, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    public CallRecord withDateUpdated(Instant dateUpdated) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, dateUpdated,
                startTime, endTime, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    public CallRecord withStartTime(Instant startTime) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, dateUpdated,
                startTime, endTime, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    public CallRecord withEndTime(Instant endTime) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, dateUpdated,
                startTime, endTime, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    public CallRecord withDuration(Integer duration) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, dateUpdated,
                startTime, endTime, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    public CallRecord withSipResponseCode(Integer sipResponseCode) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, dateUpdated,
                startTime, endTime, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    /** The fields known when the call arrives or is placed (any may be null). */
    public CallRecord withSipDetails(String sipCallId, String domain, String callerName, String forwardedFrom) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, dateUpdated,
                startTime, endTime, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    public CallRecord withAnsweredBy(String answeredBy) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, dateUpdated,
                startTime, endTime, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    /**
     * The call as it ended at {@code at}: {@code status}, {@code endTime = dateUpdated = at}, {@code duration}
     * (whole seconds, as the status callback's {@code CallDuration}), {@code sipResponseCode} (may be null).
     */
    public CallRecord ended(CallStatus status, Instant at, int duration, Integer sipResponseCode) {
        return new CallRecord(sid, accountSid, parentCallSid, direction, from, to, status, dateCreated, at,
                startTime, at, duration, answeredBy, callerName, forwardedFrom, sipCallId, sipResponseCode, domain);
    }

    static Instant millis(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }

    static void requireSid(String field, String prefix, String sid) {
        if (!Sids.isValid(prefix, sid)) {
            throw new IllegalArgumentException(field + " is not " + prefix + " + 32 hex digits: " + sid);
        }
    }
}
