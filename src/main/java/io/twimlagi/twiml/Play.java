package io.twimlagi.twiml;

/**
 * {@code <Play>}.
 *
 * @param url    media URL as written; "" when only {@code digits} is given
 * @param loop   default 1; 0 = until hangup (executor caps at 1000)
 * @param digits DTMF to send ({@code [0-9A-D#*wW]+}), or null
 */
public record Play(String url, int loop, String digits, int line) implements Verb {
    @Override public String name() { return "Play"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitPlay(this); }
}
