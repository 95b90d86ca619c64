package io.twimlagi.twiml;

/** {@code <Echo/>} (helper-library only, undocumented). */
public record Echo(int line) implements Verb {
    @Override public String name() { return "Echo"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitEcho(this); }
}
