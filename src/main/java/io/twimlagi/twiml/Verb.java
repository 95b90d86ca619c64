package io.twimlagi.twiml;

/** A TwiML verb as it appears directly in {@code <Response>} (or, for Say/Play/Pause, inside Gather/Prompt). */
public sealed interface Verb
        permits Say, Play, Pause, Gather, Record, Dial, Hangup, Redirect, Reject, Refer, Enqueue, Leave,
                Connect, Start, Stop, Pay, Sms, Echo {
    /** The TwiML element name, e.g. {@code "Say"}. */
    String name();

    /** 1-based source line of the start tag. */
    int line();

    /** Calls the visitor's method for this verb's type (see {@link VerbVisitor} for why a visitor). */
    <R> R accept(VerbVisitor<R> visitor);
}
