package io.twimlagi.twiml;

/** Reads {@code <Queue>} in Dial. */
final class QueueReader {
    private QueueReader() {}

    /** The Queue, or null (warned) without a name. */
    static Queue read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "url", "method", "reservationSid", "postWorkActivitySid");
        run.content(e, true);
        if (e.text().isEmpty()) {
            run.warn(e.line, TwimlParser.W_SCHEMA, "<Queue> has no name (skipped)");
            return null;
        }
        return new Queue(e.text(), a.s("url"), a.method("method", TwimlParser.W_SCHEMA), a.s("reservationSid"),
                a.s("postWorkActivitySid"), e.line);
    }
}
