package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Hangup;

/** {@code <Hangup>}: ends the call. The answer rule has already answered it, as Twilio does. */
public final class HangupExecutor implements VerbExecutor<Hangup> {
    @Override
    public Outcome execute(Hangup hangup, CallContext ctx) {
        ctx.call().hangup();
        return Outcome.END;
    }
}
