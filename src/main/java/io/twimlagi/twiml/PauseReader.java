package io.twimlagi.twiml;

/** Reads {@code <Pause length/>}. */
final class PauseReader {
    private PauseReader() {}

    static Pause read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "length");
        run.content(e, false);
        return new Pause(a.integer("length", 1, 1, Integer.MAX_VALUE, 13910), e.line);
    }
}
