package io.twimlagi.twiml;

/** Reads {@code <Stream>} (Connect, Start, Stop). */
final class StreamReader {
    private StreamReader() {}

    static Stream read(ParseRun run, XmlNode.Element c) {
        Attributes a = run.attributes(c, "url", "name", "track", "statusCallback", "statusCallbackMethod",
                "connectorName");
        return new Stream(a.s("url"), a.s("name"),
                a.oneOf("track", "inbound_track", TwimlParser.W_SCHEMA, "inbound_track", "outbound_track",
                        "both_tracks"),
                a.s("statusCallback"), a.method("statusCallbackMethod", TwimlParser.W_SCHEMA), run.parameters(c),
                c.attrs, c.line);
    }
}
