package io.twimlagi.twiml;

/**
 * {@code <Refer action method><Sip>uri</Sip></Refer>}.
 *
 * @param action null = none (continue with the next verb)
 * @param method default POST
 * @param target the single Sip child; null when there was not exactly one (a 12200 warning is given)
 */
public record Refer(String action, HttpMethod method, Sip target, int line) implements Verb {
    @Override public String name() { return "Refer"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitRefer(this); }
}
