package io.twimlagi.twiml;

/** Reads {@code <Echo/>}. */
final class EchoReader {
    private EchoReader() {}

    static Echo read(ParseRun run, XmlNode.Element e) {
        run.attributes(e);
        run.content(e, false);
        return new Echo(e.line);
    }
}
