package io.twimlagi.call;

/** Asterisk paths (no extension) of the join/leave beeps and of a short silence (replaces spoken prompts). */
public record ConferenceSounds(String join, String leave, String silence) {
}
