package io.twimlagi.twiml;

/** Deprecated {@code <Sms>}; absent values null, method POST. */
public record Sms(String text, String to, String from, String action, HttpMethod method, String statusCallback,
                  int line) implements Verb {
    @Override public String name() { return "Sms"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitSms(this); }
}
