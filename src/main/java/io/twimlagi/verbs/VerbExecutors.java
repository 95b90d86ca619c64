package io.twimlagi.verbs;

import io.twimlagi.engine.ApplicationError;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.VerbDispatch;
import io.twimlagi.engine.Outcome;
import io.twimlagi.dial.DialExecutor;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.Gather;
import io.twimlagi.twiml.Hangup;
import io.twimlagi.twiml.Pause;
import io.twimlagi.twiml.Play;
import io.twimlagi.twiml.Record;
import io.twimlagi.twiml.Redirect;
import io.twimlagi.twiml.Refer;
import io.twimlagi.twiml.Reject;
import io.twimlagi.twiml.Say;
import io.twimlagi.twiml.Verb;

import java.util.HashMap;
import java.util.Map;

/** The executor for each verb this version runs; every other verb goes to {@link UnsupportedExecutor}. */
public final class VerbExecutors implements VerbDispatch {
    private final Map<Class<? extends Verb>, VerbExecutor<? extends Verb>> byVerb;
    private final UnsupportedExecutor unsupported;

    /** Every verb this version runs. */
    public VerbExecutors(Prompts prompts, RecordExecutor record, ReferExecutor refer, DialExecutor dial,
                         ApplicationError applicationError) {
        Map<Class<? extends Verb>, VerbExecutor<? extends Verb>> m = new HashMap<>();
        m.put(Say.class, new SayExecutor(prompts));
        m.put(Play.class, new PlayExecutor(prompts));
        m.put(Gather.class, new GatherExecutor(prompts));
        m.put(Pause.class, new PauseExecutor());
        m.put(Hangup.class, new HangupExecutor());
        m.put(Reject.class, new RejectExecutor());
        m.put(Redirect.class, new RedirectExecutor());
        if (record != null) m.put(Record.class, record);
        if (dial != null) m.put(Dial.class, dial);
        if (refer != null) m.put(Refer.class, refer);
        this.byVerb = Map.copyOf(m);
        this.unsupported = new UnsupportedExecutor(applicationError);
    }

    /** The verbs that play and listen (Say, Play, Gather, Pause, Redirect, Hangup, Reject): a screening's. */
    public static VerbExecutors media(Prompts prompts, ApplicationError applicationError) {
        return new VerbExecutors(prompts, null, null, null, applicationError);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome execute(Verb verb, CallContext ctx) {
        VerbExecutor<Verb> executor = (VerbExecutor<Verb>) byVerb.get(verb.getClass());
        return executor == null ? unsupported.execute(verb, ctx) : executor.execute(verb, ctx);
    }

    @Override
    public boolean supports(Verb verb) {
        return byVerb.containsKey(verb.getClass());
    }
}
