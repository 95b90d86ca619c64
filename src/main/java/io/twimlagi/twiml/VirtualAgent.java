package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;

/** {@code <VirtualAgent>} (Connect). */
public record VirtualAgent(String connectorName, Map<String, String> attributes, List<Parameter> parameters, int line)
        implements MediaNoun {
    public VirtualAgent {
        attributes = Imm.map(attributes);
        parameters = List.copyOf(parameters);
    }
}
