package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@code <Client>} in Dial: identity from the text or an {@code <Identity>} child, and its parameters. */
final class ClientReader {
    private ClientReader() {}

    /** The Client, or null (warned) without an identity. */
    static Client read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "url", "method", "statusCallback", "statusCallbackMethod",
                "statusCallbackEvent", "clientNotificationUrl");
        String identity = e.text();
        List<Parameter> params = new ArrayList<>();
        for (XmlNode.Element c : run.content(e, true, "Identity", "Parameter")) {
            if (c.name.equals("Identity")) {
                run.attributes(c);
                run.content(c, true);
                identity = c.text();
            } else {
                params.add(run.parameter(c));
            }
        }
        if (identity.isEmpty()) {
            run.warn(e.line, TwimlParser.W_SCHEMA, "<Client> has no identity (skipped)");
            return null;
        }
        return new Client(identity, a.s("url"), a.method("method", TwimlParser.W_SCHEMA), a.s("statusCallback"),
                a.method("statusCallbackMethod", TwimlParser.W_SCHEMA),
                a.events("statusCallbackEvent", Set.of(), ParseRun.CALL_EVENTS), a.s("clientNotificationUrl"), params,
                e.line);
    }
}
