package io.twimlagi.twiml;

/** {@code <Reject reason>}: default {@link Reason#REJECTED}. */
public record Reject(Reason reason, int line) implements Verb {
    public enum Reason { REJECTED, BUSY }

    @Override public String name() { return "Reject"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitReject(this); }
}
