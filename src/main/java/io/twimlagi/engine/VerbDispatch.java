package io.twimlagi.engine;

import io.twimlagi.twiml.Verb;

/** Finds the executor for a verb; one executor per verb lives in {@code io.twimlagi.verbs} (Dial in {@code dial}). */
public interface VerbDispatch {
    Outcome execute(Verb verb, CallContext ctx);

    /** False for verbs this version parses but does not run: they end the call with an error, unanswered. */
    boolean supports(Verb verb);
}
