package io.twimlagi.twiml;

import java.util.List;

/** A parsed TwiML document: the verbs to execute in order, and the non-fatal problems found. */
public record Document(List<Verb> verbs, List<Problem> warnings) {
    public Document {
        verbs = List.copyOf(verbs);
        warnings = List.copyOf(warnings);
    }
}
