package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Pause;

import java.time.Duration;

/** {@code <Pause length>}: silence; as the first verb the call keeps ringing meanwhile (Twilio delays the answer). */
public final class PauseExecutor implements VerbExecutor<Pause> {
    @Override
    public Outcome execute(Pause pause, CallContext ctx) {
        ctx.call().pause(Duration.ofSeconds(pause.length()));
        return Outcome.NEXT;
    }
}
