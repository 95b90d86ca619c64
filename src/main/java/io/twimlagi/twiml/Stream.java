package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;

/** {@code <Stream>}: track default "inbound_track", statusCallbackMethod POST; others null when absent. */
public record Stream(String url, String name, String track, String statusCallback, HttpMethod statusCallbackMethod,
                     List<Parameter> parameters, Map<String, String> attributes, int line) implements MediaNoun {
    public Stream {
        parameters = List.copyOf(parameters);
        attributes = Imm.map(attributes);
    }
}
