package io.twimlagi.records;

import java.util.Locale;
import java.util.Map;

/**
 * The filters of Twilio's Participants list ({@code Muted}, {@code Hold}, {@code Coaching}, each {@code true} or
 * {@code false}): null lets everything through.
 */
public record ParticipantQuery(Boolean muted, Boolean hold, Boolean coaching) {
    public static final ParticipantQuery ALL = new ParticipantQuery(null, null, null);

    /** @throws FilterException for a value other than true or false, naming the parameter */
    public static ParticipantQuery fromTwilio(Map<String, String> params) {
        return new ParticipantQuery(flag(params, "Muted"), flag(params, "Hold"), flag(params, "Coaching"));
    }

    private static Boolean flag(Map<String, String> params, String name) {
        String v = TimeRange.value(params, name);
        if (v == null) return null;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new FilterException(name, "bad value for '" + name + "': '" + v
                    + "' (expected true or false)");
        };
    }

    public boolean matches(ParticipantRecord p) {
        return (muted == null || muted == p.muted()) && (hold == null || hold == p.hold())
                && (coaching == null || coaching == p.coaching());
    }
}
