package io.twimlagi.twiml;

/** Reads {@code <Leave/>}. */
final class LeaveReader {
    private LeaveReader() {}

    static Leave read(ParseRun run, XmlNode.Element e) {
        run.attributes(e);
        run.content(e, false);
        return new Leave(e.line);
    }
}
