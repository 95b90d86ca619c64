package io.twimlagi.twiml;

/** Reads {@code <Room participantIdentity>name</Room>} (Connect). */
final class RoomReader {
    private RoomReader() {}

    static Room read(ParseRun run, XmlNode.Element c) {
        Attributes a = run.attributes(c, "participantIdentity");
        run.content(c, true);
        return new Room(c.text(), a.s("participantIdentity"), c.line);
    }
}
