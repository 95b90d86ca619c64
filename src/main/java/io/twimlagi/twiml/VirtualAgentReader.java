package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code <VirtualAgent>} (Connect); its {@code <Config>} children are read as parameters. */
final class VirtualAgentReader {
    private VirtualAgentReader() {}

    static VirtualAgent read(ParseRun run, XmlNode.Element c) {
        Attributes a = run.attributes(c, "connectorName", "language", "sentimentAnalysis", "statusCallback",
                "statusCallbackMethod");
        List<Parameter> ps = new ArrayList<>();
        for (XmlNode.Element k : run.content(c, false, "Parameter", "Config")) {
            Attributes ka = run.attributes(k, "name", "value");
            ps.add(new Parameter(ka.s("name"), ka.s("value"), k.line));
        }
        return new VirtualAgent(a.s("connectorName"), c.attrs, ps, c.line);
    }
}
