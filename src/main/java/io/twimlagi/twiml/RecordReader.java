package io.twimlagi.twiml;

import java.util.Set;

/** Reads {@code <Record>}. */
final class RecordReader {
    private RecordReader() {}

    static Record read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "action", "method", "timeout", "maxLength", "finishOnKey", "playBeep", "trim",
                "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
                "transcribe", "transcribeCallback", "recordingConfigurationId");
        run.content(e, false);
        String fok = a.s("finishOnKey");
        if (fok == null) {
            fok = "1234567890*#";
        } else if (!fok.matches("[0-9#*]*")) {
            run.warn(e.line, 13613, "invalid finishOnKey \"" + fok + "\" on <Record>; using \"1234567890*#\"");
            fok = "1234567890*#";
        }
        return new Record(a.s("action"), a.method("method", 13610),
                a.integer("timeout", 5, 0, Integer.MAX_VALUE, 13611),
                a.integer("maxLength", 3600, 1, Integer.MAX_VALUE, 13612), fok,
                a.bool("playBeep", true, TwimlParser.W_SCHEMA),
                a.choice("trim", Trim.TRIM_SILENCE, TwimlParser.W_SCHEMA),
                a.s("recordingStatusCallback"), a.method("recordingStatusCallbackMethod", TwimlParser.W_SCHEMA),
                a.events("recordingStatusCallbackEvent", Set.of("completed"), ParseRun.RECORDING_EVENTS),
                a.bool("transcribe", false, 13614), a.s("transcribeCallback"), a.s("recordingConfigurationId"),
                e.line);
    }
}
