package io.twimlagi.records;

import java.util.Map;
import java.util.Objects;

/**
 * The filters of Twilio's Recordings lists ({@code GET Recordings.json}; {@code Calls/{Sid}/Recordings.json} is
 * the same with {@code callSid} set): null filters let everything through, the others must all hold.
 */
public record RecordingQuery(String callSid, String conferenceSid, TimeRange dateCreated) {
    /** Every recording. */
    public static final RecordingQuery ALL = new RecordingQuery(null, null, TimeRange.ANY);

    public RecordingQuery {
        Objects.requireNonNull(dateCreated, "dateCreated");
    }

    /**
     * The filters among Twilio's list parameters: {@code CallSid}, {@code ConferenceSid}, {@code DateCreated},
     * {@code DateCreated<}, {@code DateCreated>} (see {@link TimeRange#fromTwilio}). Others (paging,
     * {@code IncludeSoftDeleted}: nothing here is soft-deleted) are ignored; empty values are ignored.
     *
     * @throws FilterException for a bad date, naming the parameter
     */
    public static RecordingQuery fromTwilio(Map<String, String> params) {
        return new RecordingQuery(TimeRange.value(params, "CallSid"), TimeRange.value(params, "ConferenceSid"),
                TimeRange.fromTwilio(params, "DateCreated"));
    }

    public RecordingQuery withCallSid(String callSid) {
        return new RecordingQuery(callSid, conferenceSid, dateCreated);
    }

    public RecordingQuery withConferenceSid(String conferenceSid) {
        return new RecordingQuery(callSid, conferenceSid, dateCreated);
    }

    public RecordingQuery withDateCreated(TimeRange dateCreated) {
        return new RecordingQuery(callSid, conferenceSid, dateCreated);
    }

    public boolean matches(RecordingRecord r) {
        return (callSid == null || callSid.equals(r.callSid()))
                && (conferenceSid == null || conferenceSid.equals(r.conferenceSid()))
                && dateCreated.contains(r.dateCreated());
    }
}
