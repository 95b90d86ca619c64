package io.twimlagi.twiml;

/** Reads {@code <Siprec>} (Start, Stop). */
final class SiprecReader {
    private SiprecReader() {}

    static Siprec read(ParseRun run, XmlNode.Element c) {
        Attributes a = run.attributes(c, "name", "connectorName", "track", "statusCallback", "statusCallbackMethod");
        return new Siprec(a.s("name"), a.s("connectorName"), a.s("track"), a.s("statusCallback"),
                a.method("statusCallbackMethod", TwimlParser.W_SCHEMA), run.parameters(c), c.attrs, c.line);
    }
}
