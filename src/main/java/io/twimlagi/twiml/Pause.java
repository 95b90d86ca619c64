package io.twimlagi.twiml;

/** {@code <Pause length>}: seconds, default 1. */
public record Pause(int length, int line) implements Verb {
    @Override public String name() { return "Pause"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitPause(this); }
}
