package io.twimlagi.twiml;

/** {@code <Hangup/>} (Voice-SDK {@code <Parameter>} children are accepted and ignored). */
public record Hangup(int line) implements Verb {
    @Override public String name() { return "Hangup"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitHangup(this); }
}
