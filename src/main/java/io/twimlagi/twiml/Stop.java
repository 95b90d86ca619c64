package io.twimlagi.twiml;

import java.util.List;

/** {@code <Stop>} with Stream/Siprec/Transcription/Recording nouns (matched by name). */
public record Stop(List<MediaNoun> nouns, int line) implements Verb {
    public Stop {
        nouns = List.copyOf(nouns);
    }

    @Override public String name() { return "Stop"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitStop(this); }
}
