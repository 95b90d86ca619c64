package io.twimlagi.twiml;

/** Reads {@code <Reject reason/>}. */
final class RejectReader {
    private RejectReader() {}

    static Reject read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "reason");
        run.content(e, false, "Parameter");
        String r = a.oneOf("reason", "rejected", TwimlParser.W_SCHEMA, "rejected", "busy");
        return new Reject(r.equals("busy") ? Reject.Reason.BUSY : Reject.Reason.REJECTED, e.line);
    }
}
