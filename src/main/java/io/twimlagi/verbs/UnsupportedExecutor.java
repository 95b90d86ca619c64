package io.twimlagi.verbs;

import io.twimlagi.engine.ApplicationError;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A verb this version parses but does not execute: the call ends with a logged error, never silently. */
public final class UnsupportedExecutor implements VerbExecutor<Verb> {
    private static final Logger log = LoggerFactory.getLogger(UnsupportedExecutor.class);

    private final ApplicationError applicationError;

    public UnsupportedExecutor(ApplicationError applicationError) {
        this.applicationError = applicationError;
    }

    @Override
    public Outcome execute(Verb verb, CallContext ctx) {
        log.error("{} error 12400: <{}> (line {}) is not supported by this version of twiml-agi; ending the call",
                ctx.callSid(), verb.name(), verb.line());
        applicationError.handle(ctx);
        return Outcome.END;
    }
}
