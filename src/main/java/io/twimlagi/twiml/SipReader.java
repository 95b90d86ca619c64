package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code <Sip>} (in Dial, and the target of Refer) with its {@code <Uri>} and {@code <Headers>} children. */
final class SipReader {
    /** Twilio's limit on a SIP URI's length. */
    private static final int MAX_URI = 254;

    private SipReader() {}

    static Sip read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, MachineDetectionReader.withAttributes("username", "password", "url", "method",
                "statusCallback", "statusCallbackMethod", "statusCallbackEvent"));
        List<SipUri> uris = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (XmlNode.Element c : run.content(e, true, "Uri", "Headers")) {
            if (c.name.equals("Uri")) {
                uris.add(uri(run, c));
            } else {
                headers(run, c, headers);
            }
        }
        String uri = e.text();
        if (uri.isEmpty() && !uris.isEmpty()) uri = uris.get(0).uri();
        if (uri.isEmpty()) run.warn(e.line, 13243, "<Sip> has no SIP URI");
        else if (uri.length() > MAX_URI) {
            run.warn(e.line, 13243, "SIP URI is " + uri.length() + " characters (limit " + MAX_URI + ")");
        }
        return new Sip(uri, a.s("username"), a.s("password"), a.s("url"), a.method("method", TwimlParser.W_SCHEMA),
                a.s("statusCallback"), a.method("statusCallbackMethod", TwimlParser.W_SCHEMA),
                a.events("statusCallbackEvent", Set.of(), ParseRun.CALL_EVENTS), MachineDetectionReader.read(a), uris,
                headers, e.line);
    }

    private static SipUri uri(ParseRun run, XmlNode.Element c) {
        Attributes ua = run.attributes(c, "priority", "weight", "username", "password");
        run.content(c, true);
        return new SipUri(c.text(), ua.optInt("priority", 0, Integer.MAX_VALUE, TwimlParser.W_SCHEMA),
                ua.optInt("weight", 0, Integer.MAX_VALUE, TwimlParser.W_SCHEMA), ua.s("username"), ua.s("password"),
                c.line);
    }

    /** {@code <Headers><Header name value/>...</Headers>} into {@code headers}. */
    private static void headers(ParseRun run, XmlNode.Element c, Map<String, String> headers) {
        run.attributes(c);
        for (XmlNode.Element h : run.content(c, false, "Header")) {
            Attributes ha = run.attributes(h, "name", "value");
            run.content(h, false);
            String hn = ha.s("name");
            if (hn == null || hn.isEmpty()) run.warn(h.line, TwimlParser.W_SCHEMA, "<Header> without name (skipped)");
            else headers.put(hn, ha.s("value", ""));
        }
    }
}
