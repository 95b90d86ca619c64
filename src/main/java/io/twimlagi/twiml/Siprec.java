package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;

/** {@code <Siprec>} (Start/Stop). */
public record Siprec(String name, String connectorName, String track, String statusCallback,
                     HttpMethod statusCallbackMethod, List<Parameter> parameters, Map<String, String> attributes,
                     int line) implements MediaNoun {
    public Siprec {
        parameters = List.copyOf(parameters);
        attributes = Imm.map(attributes);
    }
}
