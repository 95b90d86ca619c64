package io.twimlagi.twiml;

import java.util.List;

/** Reads {@code <Refer action method><Sip>uri</Sip></Refer>}. */
final class ReferReader {
    private ReferReader() {}

    static Refer read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "action", "method");
        List<XmlNode.Element> sips = run.content(e, false, "Sip");
        Sip target = null;
        if (sips.size() == 1) {
            target = SipReader.read(run, sips.get(0));
        } else {
            run.warn(e.line, TwimlParser.W_SCHEMA, "<Refer> needs exactly one <Sip>, found " + sips.size());
        }
        return new Refer(a.s("action"), a.method("method", TwimlParser.W_SCHEMA), target, e.line);
    }
}
