package io.twimlagi.records;

import java.util.Map;
import java.util.Objects;

/**
 * The filters of Twilio's Conferences list ({@code GET Conferences.json}): null (or {@link TimeRange#ANY}) filters
 * let everything through, the others must all hold. {@code friendlyName} matches exactly.
 */
public record ConferenceQuery(String friendlyName, ConferenceStatus status, TimeRange dateCreated,
                              TimeRange dateUpdated) {
    /** Every conference. */
    public static final ConferenceQuery ALL = new ConferenceQuery(null, null, TimeRange.ANY, TimeRange.ANY);

    public ConferenceQuery {
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }

    /**
     * The filters among Twilio's list parameters: {@code FriendlyName}, {@code Status}, {@code DateCreated},
     * {@code DateCreated<}, {@code DateCreated>}, {@code DateUpdated}, {@code DateUpdated<}, {@code DateUpdated>}
     * (see {@link TimeRange#fromTwilio}). Others (paging) are ignored; empty values are ignored.
     *
     * @throws FilterException for a status Twilio does not have or a bad date, naming the parameter
     */
    public static ConferenceQuery fromTwilio(Map<String, String> params) {
        String status = TimeRange.value(params, "Status");
        return new ConferenceQuery(TimeRange.value(params, "FriendlyName"),
                status == null ? null : ConferenceStatus.fromTwilio(status).orElseThrow(() -> new FilterException(
                        "Status", "bad value for 'Status': '" + status + "' (expected init, in-progress or completed)")),
                TimeRange.fromTwilio(params, "DateCreated"), TimeRange.fromTwilio(params, "DateUpdated"));
    }

    public ConferenceQuery withFriendlyName(String friendlyName) {
        return new ConferenceQuery(friendlyName, status, dateCreated, dateUpdated);
    }

    public ConferenceQuery withStatus(ConferenceStatus status) {
        return new ConferenceQuery(friendlyName, status, dateCreated, dateUpdated);
    }

    public boolean matches(ConferenceRecord c) {
        return (friendlyName == null || friendlyName.equals(c.friendlyName()))
                && (status == null || status == c.status())
                && dateCreated.contains(c.dateCreated()) && dateUpdated.contains(c.dateUpdated());
    }
}
