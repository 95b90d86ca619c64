package io.twimlagi.ami;

/** Where a channel goes in the dialplan: {@code context,exten,priority}. */
public record DialplanLocation(String context, String exten, int priority) {
    public DialplanLocation {
        AmiText.required("context", context, 79);
        AmiText.required("exten", exten, 79);
        if (priority < 1) throw new IllegalArgumentException("priority must be 1 or more: " + priority);
    }
}
