package io.twimlagi.twiml;

import java.util.Set;

/** Reads {@code <Number>} in Dial (and makes the Number of a plain-text Dial body). */
final class NumberReader {
    private NumberReader() {}

    /** {@code <Dial>+15551234567</Dial>}: a Number with every default. */
    static Number plain(String number, int line) {
        return new Number(number, null, null, HttpMethod.POST, null, HttpMethod.POST, Set.of(), null, null, line);
    }

    /** The Number, or null (warned 13223) when it is empty. */
    static Number read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, MachineDetectionReader.withAttributes("sendDigits", "url", "method",
                "statusCallback", "statusCallbackMethod", "statusCallbackEvent", "byoc"));
        run.content(e, true);
        String number = e.text();
        if (number.isEmpty()) {
            run.warn(e.line, 13223, "<Number> is empty (skipped)");
            return null;
        }
        String sd = a.s("sendDigits");
        if (sd != null && !PlayReader.DTMF.matcher(sd).matches()) {
            run.warn(e.line, 13222, "invalid sendDigits \"" + sd + "\" on <Number>; ignored");
            sd = null;
        }
        return new Number(number, sd, a.s("url"), a.method("method", 13221), a.s("statusCallback"),
                a.method("statusCallbackMethod", TwimlParser.W_SCHEMA),
                a.events("statusCallbackEvent", Set.of(), ParseRun.CALL_EVENTS), a.s("byoc"),
                MachineDetectionReader.read(a), e.line);
    }
}
