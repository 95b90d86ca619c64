package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;

/**
 * {@code <Prompt>} inside {@link Pay} (not a top-level verb, hence not a {@link Verb}).
 * {@code for} (helper libs may emit {@code for_}) is in attributes; children are Say/Play/Pause.
 */
public record Prompt(Map<String, String> attributes, List<Verb> children, int line) {
    public Prompt {
        attributes = Imm.map(attributes);
        children = List.copyOf(children);
    }
}
