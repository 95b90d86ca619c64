package io.twimlagi.twiml;

/** Reads {@code <Hangup/>} (the Voice SDK's {@code <Parameter>} children are accepted and ignored). */
final class HangupReader {
    private HangupReader() {}

    static Hangup read(ParseRun run, XmlNode.Element e) {
        run.attributes(e);
        run.content(e, false, "Parameter");
        return new Hangup(e.line);
    }
}
