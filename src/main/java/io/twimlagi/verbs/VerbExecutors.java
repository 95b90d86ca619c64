package io.twimlagi.verbs;

import io.twimlagi.engine.ApplicationError;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Executors;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.AudioLibrary;
import io.twimlagi.media.SpeechCache;
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

import java.util.Map;

/** The executor for each verb this version runs; every other verb goes to {@link UnsupportedExecutor}. */
public final class VerbExecutors implements Executors {
    private final Map<Class<? extends Verb>, VerbExecutor<? extends Verb>> byVerb;
    private final UnsupportedExecutor unsupported;

    public VerbExecutors(SpeechCache speech, AudioLibrary audio, RecordExecutor record, ReferExecutor refer,
                         DialExecutor dial, ApplicationError applicationError) {
        Prompts prompts = new Prompts(speech, audio);
        this.byVerb = Map.of(
                Say.class, new SayExecutor(prompts),
                Play.class, new PlayExecutor(prompts),
                Gather.class, new GatherExecutor(prompts),
                Record.class, record,
                Pause.class, new PauseExecutor(),
                Hangup.class, new HangupExecutor(),
                Reject.class, new RejectExecutor(),
                Redirect.class, new RedirectExecutor(),
                Dial.class, dial,
                Refer.class, refer);
        this.unsupported = new UnsupportedExecutor(applicationError);
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
