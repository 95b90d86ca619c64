package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Play;

/**
 * {@code <Play>}: the audio at the URL (fetched and converted once, cached), {@code loop} times; or, with
 * {@code digits}, DTMF to the caller. A missing or undecodable file is logged and the next verb runs, as on
 * Twilio — never dead air.
 */
public final class PlayExecutor implements VerbExecutor<Play> {
    private final Prompts prompts;

    PlayExecutor(Prompts prompts) {
        this.prompts = prompts;
    }

    @Override
    public Outcome execute(Play play, CallContext ctx) {
        if (play.digits() != null && !play.digits().isEmpty()) {
            ctx.call().sendDigits(play.digits());
            return Outcome.NEXT;
        }
        Prompts.play(prompts.of(play, ctx), ctx.call(), "");
        return Outcome.NEXT;
    }
}
