package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;

/** {@code <Transcription>} (Start/Stop); all attributes in {@code attributes}. */
public record Transcription(String name, String track, String statusCallbackUrl, HttpMethod statusCallbackMethod,
                            List<Parameter> parameters, Map<String, String> attributes, int line) implements MediaNoun {
    public Transcription {
        parameters = List.copyOf(parameters);
        attributes = Imm.map(attributes);
    }
}
