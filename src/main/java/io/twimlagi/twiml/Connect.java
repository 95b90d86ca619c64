package io.twimlagi.twiml;

import java.util.List;

/** {@code <Connect action method>}: action null = next verb; method POST. */
public record Connect(String action, HttpMethod method, List<MediaNoun> nouns, int line) implements Verb {
    public Connect {
        nouns = List.copyOf(nouns);
    }

    @Override public String name() { return "Connect"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitConnect(this); }
}
