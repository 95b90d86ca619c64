package io.twimlagi.twiml;

/** Reads the deprecated {@code <Sms>}. */
final class SmsReader {
    private SmsReader() {}

    static Sms read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "to", "from", "action", "method", "statusCallback");
        run.content(e, true);
        return new Sms(e.text(), a.s("to"), a.s("from"), a.s("action"), a.method("method", TwimlParser.W_SCHEMA),
                a.s("statusCallback"), e.line);
    }
}
