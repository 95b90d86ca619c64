package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Verb;

/** Executes one kind of verb against the call. Executors parse nothing: verbs arrive validated. */
public interface VerbExecutor<V extends Verb> {
    Outcome execute(V verb, CallContext ctx);
}
