package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@code <Dial>}: its attributes, then its nouns (or a plain-text number). */
final class DialReader {
    /** Twilio's limit of Number/Sip/Client nouns rung by one Dial. */
    private static final int MAX_ENDPOINTS = 10;

    private DialReader() {}

    static Dial read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "action", "method", "timeout", "callerId", "timeLimit", "hangupOnStar",
                "record", "answerOnBridge", "ringTone", "trim", "recordingStatusCallback",
                "recordingStatusCallbackMethod", "recordingStatusCallbackEvent", "recordingTrack",
                "recordingConfigurationId", "referUrl", "referMethod", "sequential", "callReason", "events",
                "passports");
        Dial.RecordMode record = record(run, e, a);
        RingTone ringTone = ringTone(run, e, a);
        String callReason = a.s("callReason");
        if (callReason != null && callReason.length() > 50) {
            run.warn(e.line, TwimlParser.W_SCHEMA, "callReason on <Dial> is longer than 50 characters");
        }
        List<DialNoun> nouns = nouns(run, e);
        if (nouns.isEmpty()) run.warn(e.line, 13215, "<Dial> has nothing to dial");
        return new Dial(a.s("action"), a.method("method", 13210), a.integer("timeout", 30, 1, 600, 13212),
                a.s("callerId"), a.integer("timeLimit", 14400, 1, 86400, 13216),
                a.bool("hangupOnStar", false, 13213), record, a.bool("answerOnBridge", false, TwimlParser.W_SCHEMA),
                ringTone, a.choice("trim", Trim.DO_NOT_TRIM, TwimlParser.W_SCHEMA),
                a.s("recordingStatusCallback"), a.method("recordingStatusCallbackMethod", TwimlParser.W_SCHEMA),
                a.events("recordingStatusCallbackEvent", Set.of("completed"), ParseRun.RECORDING_EVENTS),
                a.oneOf("recordingTrack", "both", TwimlParser.W_SCHEMA, "inbound", "outbound", "both"),
                a.s("recordingConfigurationId"), a.s("referUrl"), a.method("referMethod", TwimlParser.W_SCHEMA),
                a.bool("sequential", false, TwimlParser.W_SCHEMA), callReason, a.s("events"), a.s("passports"), nouns,
                e.line);
    }

    /** {@code record}, case-sensitive as Twilio's; "true"/"false" are the older spellings of answer/do-not-record. */
    private static Dial.RecordMode record(ParseRun run, XmlNode.Element e, Attributes a) {
        String record = a.s("record");
        if (record == null || record.equals("false")) return Dial.RecordMode.DO_NOT_RECORD;
        if (record.equals("true")) return Dial.RecordMode.RECORD_FROM_ANSWER;
        for (Dial.RecordMode m : Dial.RecordMode.values()) if (m.value().equals(record)) return m;
        run.warn(e.line, 13217, "invalid record \"" + record + "\" on <Dial>; using \"do-not-record\"");
        return Dial.RecordMode.DO_NOT_RECORD;
    }

    /** {@code ringTone}; null (the carrier's ringback) when absent or not one of Twilio's (no Twilio code: 12200). */
    private static RingTone ringTone(ParseRun run, XmlNode.Element e, Attributes a) {
        String ringTone = a.s("ringTone");
        if (ringTone == null) return null;
        RingTone tone = RingTone.parse(ringTone).orElse(null);
        if (tone == null) {
            run.warn(e.line, TwimlParser.W_SCHEMA, "invalid ringTone \"" + ringTone
                    + "\" on <Dial>; using the carrier ringback");
        }
        return tone;
    }

    /** The nouns, at most {@value #MAX_ENDPOINTS} endpoints; a text-only body is one Number. */
    private static List<DialNoun> nouns(ParseRun run, XmlNode.Element e) {
        List<DialNoun> nouns = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int textLine = e.line;
        boolean hasElements = false;
        int endpoints = 0;
        for (XmlNode k : e.kids) {
            if (k instanceof XmlNode.Text t) {
                if (!t.text().isBlank() && text.length() == 0) textLine = t.line();
                text.append(t.text());
                continue;
            }
            XmlNode.Element c = (XmlNode.Element) k;
            hasElements = true;
            DialNoun n = switch (c.name) {
                case "Number" -> NumberReader.read(run, c);
                case "Sip" -> SipReader.read(run, c);
                case "Client" -> ClientReader.read(run, c);
                case "Conference" -> ConferenceReader.read(run, c);
                case "Queue" -> QueueReader.read(run, c);
                case "Application", "Sim", "WhatsApp" -> ParseRun.generic(c);
                default -> {
                    run.misplaced(c, "Dial", 13215);
                    yield null;
                }
            };
            if (n == null) continue;
            if (n instanceof Number || n instanceof Sip || n instanceof Client) {
                if (++endpoints > MAX_ENDPOINTS) {
                    run.warn(c.line, 13215, "more than 10 Number/Sip/Client nouns in <Dial>; <" + c.name + "> skipped");
                    continue;
                }
            }
            nouns.add(n);
        }
        String body = text.toString().trim();
        if (!body.isEmpty()) {
            if (hasElements) {
                run.warn(textLine, TwimlParser.W_SCHEMA, "text beside nouns inside <Dial> is ignored");
            } else {
                nouns.add(NumberReader.plain(body, textLine));
            }
        }
        return nouns;
    }
}
