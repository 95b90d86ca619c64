package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Redirect;

import java.util.Map;

/** {@code <Redirect>}: the next document comes from this URL (resolved against the current one); ringing goes on. */
public final class RedirectExecutor implements VerbExecutor<Redirect> {
    @Override
    public Outcome execute(Redirect redirect, CallContext ctx) {
        return new Outcome.Navigate(ctx.resolve(redirect.url()), redirect.method(), Map.of());
    }
}
