package io.twimlagi.twiml;

/** {@code <Leave/>}: leave the queue (only meaningful in an Enqueue waitUrl document). */
public record Leave(int line) implements Verb {
    @Override public String name() { return "Leave"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitLeave(this); }
}
