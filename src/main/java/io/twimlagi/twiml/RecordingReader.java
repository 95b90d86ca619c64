package io.twimlagi.twiml;

import java.util.Set;

/** Reads {@code <Recording>} (Start, Stop). */
final class RecordingReader {
    private RecordingReader() {}

    static Recording read(ParseRun run, XmlNode.Element c) {
        Attributes a = run.attributes(c, "recordingStatusCallback", "recordingStatusCallbackMethod",
                "recordingStatusCallbackEvent", "trim", "track", "channels", "recordingConfigurationId");
        run.content(c, false);
        return new Recording(a.s("recordingStatusCallback"),
                a.method("recordingStatusCallbackMethod", TwimlParser.W_SCHEMA),
                a.events("recordingStatusCallbackEvent", Set.of(), ParseRun.RECORDING_EVENTS), a.s("trim"),
                a.s("track"), a.s("channels"), c.attrs, c.line);
    }
}
