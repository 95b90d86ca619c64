package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;

/** {@code <ConversationRelay>} (Connect): url typed, everything else in attributes; Language etc. as children. */
public record ConversationRelay(String url, Map<String, String> attributes, List<Parameter> parameters,
                                List<GenericNoun> children, int line) implements MediaNoun {
    public ConversationRelay {
        attributes = Imm.map(attributes);
        parameters = List.copyOf(parameters);
        children = List.copyOf(children);
    }
}
