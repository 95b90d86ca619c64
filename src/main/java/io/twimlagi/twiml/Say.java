package io.twimlagi.twiml;

import java.util.List;

/**
 * {@code <Say>}.
 *
 * @param parts    text and SSML breaks in document order (SSML kept this far; other SSML tags become text)
 * @param voice    default {@code "man"}
 * @param language default {@code "en-US"}
 * @param loop     default 1; 0 = repeat until hangup (the executor caps it at 1000)
 */
public record Say(List<SayPart> parts, String voice, String language, int loop, int line) implements Verb {
    public static final String DEFAULT_VOICE = "man";
    public static final String DEFAULT_LANGUAGE = "en-US";

    public Say {
        parts = List.copyOf(parts);
    }

    /** Plain text: all text parts joined, breaks dropped, whitespace collapsed and trimmed. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (SayPart p : parts) {
            if (p instanceof SayPart.Text t) sb.append(t.text());
            else if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ' ') sb.append(' ');
        }
        return sb.toString().replaceAll("\\s+", " ").trim();
    }

    /** True if the content contains at least one SSML break. */
    public boolean hasBreaks() {
        return parts.stream().anyMatch(p -> p instanceof SayPart.Break);
    }

    @Override public String name() { return "Say"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitSay(this); }
}
