package io.twimlagi.twiml;

import java.util.List;

/** Reads {@code <Start action method>} with Stream, Siprec, Transcription and Recording nouns. */
final class StartReader {
    private StartReader() {}

    static Start read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "action", "method");
        List<MediaNoun> nouns = MediaNounReader.read(run, e, "Stream", "Siprec", "Transcription", "Recording");
        return new Start(a.s("action"), a.method("method", TwimlParser.W_SCHEMA), nouns, e.line);
    }
}
