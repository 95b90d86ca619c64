package io.twimlagi.twiml;

/**
 * {@code <Redirect method>url</Redirect>}.
 *
 * @param url    as written; "" for an empty Redirect (resolves to the current document; a 12200 warning is given)
 * @param method default POST
 */
public record Redirect(String url, HttpMethod method, int line) implements Verb {
    @Override public String name() { return "Redirect"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitRedirect(this); }
}
