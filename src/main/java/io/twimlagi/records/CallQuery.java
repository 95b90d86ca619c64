package io.twimlagi.records;

import java.util.Map;
import java.util.Objects;

/**
 * The filters of Twilio's Calls list ({@code GET Calls.json}): each null (or {@link TimeRange#ANY}) filter lets
 * everything through; the others must all hold. {@code to}, {@code from} and {@code parentCallSid} match exactly.
 */
public record CallQuery(String to, String from, CallStatus status, String parentCallSid, TimeRange startTime,
                        TimeRange endTime) {
    /** Every call. */
    public static final CallQuery ALL = new CallQuery(null, null, null, null, TimeRange.ANY, TimeRange.ANY);

    public CallQuery {
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
    }

    /**
     * The filters among Twilio's list parameters: {@code To}, {@code From}, {@code Status}, {@code ParentCallSid},
     * {@code StartTime}, {@code StartTime<}, {@code StartTime>}, {@code EndTime}, {@code EndTime<},
     * {@code EndTime>} (see {@link TimeRange#fromTwilio}). Other parameters ({@code Page}, {@code PageSize},
     * {@code PageToken}...) are the caller's and ignored here; empty values are ignored.
     *
     * @throws FilterException for a status Twilio does not have or a bad date, naming the parameter
     */
    public static CallQuery fromTwilio(Map<String, String> params) {
        String status = TimeRange.value(params, "Status");
        return new CallQuery(TimeRange.value(params, "To"), TimeRange.value(params, "From"),
                status == null ? null : CallStatus.fromTwilio(status).orElseThrow(() -> new FilterException("Status",
                        "bad value for 'Status': '" + status + "' (expected queued, ringing, in-progress, completed,"
                                + " busy, failed, no-answer or canceled)")),
                TimeRange.value(params, "ParentCallSid"),
                TimeRange.fromTwilio(params, "StartTime"), TimeRange.fromTwilio(params, "EndTime"));
    }

    public CallQuery withTo(String to) {
        return new CallQuery(to, from, status, parentCallSid, startTime, endTime);
    }

    public CallQuery withFrom(String from) {
        return new CallQuery(to, from, status, parentCallSid, startTime, endTime);
    }

    public CallQuery withStatus(CallStatus status) {
        return new CallQuery(to, from, status, parentCallSid, startTime, endTime);
    }

    public CallQuery withParentCallSid(String parentCallSid) {
        return new CallQuery(to, from, status, parentCallSid, startTime, endTime);
    }

    public CallQuery withStartTime(TimeRange startTime) {
        return new CallQuery(to, from, status, parentCallSid, startTime, endTime);
    }

    public CallQuery withEndTime(TimeRange endTime) {
        return new CallQuery(to, from, status, parentCallSid, startTime, endTime);
    }

    /** True when {@code call} passes every filter. */
    public boolean matches(CallRecord call) {
        return (to == null || to.equals(call.to())) && (from == null || from.equals(call.from()))
                && (status == null || status == call.status())
                && (parentCallSid == null || parentCallSid.equals(call.parentCallSid()))
                && startTime.contains(call.startTime()) && endTime.contains(call.endTime());
    }
}
