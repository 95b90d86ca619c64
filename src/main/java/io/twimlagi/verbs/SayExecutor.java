package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Say;

/** {@code <Say>}: each text part synthesized (cached) and played, SSML breaks as silence, {@code loop} times. */
public final class SayExecutor implements VerbExecutor<Say> {
    private final Prompts prompts;

    SayExecutor(Prompts prompts) {
        this.prompts = prompts;
    }

    @Override
    public Outcome execute(Say say, CallContext ctx) {
        Prompts.play(prompts.of(say, ctx), ctx.call(), "");
        return Outcome.NEXT;
    }
}
