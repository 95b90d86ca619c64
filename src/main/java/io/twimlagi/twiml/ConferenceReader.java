package io.twimlagi.twiml;

import java.util.Set;

/** Reads {@code <Conference>} in Dial. */
final class ConferenceReader {
    private static final Set<String> REGIONS = Set.of("us1", "us2", "ie1", "de1", "sg1", "br1", "au1", "jp1");

    private ConferenceReader() {}

    /** The Conference, or null (warned) without a name. */
    static Conference read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "muted", "beep", "startConferenceOnEnter", "endConferenceOnExit", "waitUrl",
                "waitMethod", "maxParticipants", "record", "region", "trim", "coach", "participantLabel",
                "jitterBufferSize", "statusCallback", "statusCallbackMethod", "statusCallbackEvent",
                "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
                "eventCallbackUrl");
        run.content(e, true);
        String name = e.text();
        if (name.isEmpty()) {
            run.warn(e.line, TwimlParser.W_SCHEMA, "<Conference> has no name (skipped)");
            return null;
        }
        String region = a.s("region");
        if (region != null && !REGIONS.contains(region)) {
            run.warn(e.line, TwimlParser.W_SCHEMA,
                    "invalid region \"" + region + "\" on <Conference>; using automatic");
            region = null;
        }
        int w = TwimlParser.W_SCHEMA;
        return new Conference(name, a.bool("muted", false, w), a.choice("beep", Conference.Beep.TRUE, w),
                a.bool("startConferenceOnEnter", true, w), a.bool("endConferenceOnExit", false, w),
                a.s("waitUrl"), a.method("waitMethod", w), a.integer("maxParticipants", 250, 2, 250, w),
                a.choice("record", Conference.RecordMode.DO_NOT_RECORD, w), region,
                a.choice("trim", Trim.TRIM_SILENCE, w), a.s("coach"), a.s("participantLabel"),
                a.oneOf("jitterBufferSize", "large", w, "small", "medium", "large", "off"),
                a.s("statusCallback"), a.method("statusCallbackMethod", w),
                a.events("statusCallbackEvent", Set.of(), "start", "end", "join", "leave", "mute", "hold", "modify",
                        "speaker", "announcement"),
                a.s("recordingStatusCallback"), a.method("recordingStatusCallbackMethod", w),
                a.events("recordingStatusCallbackEvent", Set.of("completed"), ParseRun.RECORDING_EVENTS),
                a.s("eventCallbackUrl"), e.line);
    }
}
