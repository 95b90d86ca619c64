package io.twimlagi.twiml;

import java.util.List;

/** {@code <Start action method>} with Stream/Siprec/Transcription/Recording nouns. */
public record Start(String action, HttpMethod method, List<MediaNoun> nouns, int line) implements Verb {
    public Start {
        nouns = List.copyOf(nouns);
    }

    @Override public String name() { return "Start"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitStart(this); }
}
