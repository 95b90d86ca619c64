package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.SpeechCache;
import io.twimlagi.twiml.Say;
import io.twimlagi.twiml.SayPart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** {@code <Say>}: each text part synthesized (cached) and played, SSML breaks as silence, {@code loop} times. */
public final class SayExecutor implements VerbExecutor<Say> {
    private static final Logger log = LoggerFactory.getLogger(SayExecutor.class);
    /** Twilio's limit for basic voices (error 13521). */
    static final int MAX_CHARS = 4096;

    private final SpeechCache speech;

    public SayExecutor(SpeechCache speech) {
        this.speech = speech;
    }

    @Override
    public Outcome execute(Say say, CallContext ctx) {
        String all = say.text();
        if (all.length() > MAX_CHARS) {
            log.error("{} error 13521: Say text is {} characters, the limit is {}; skipped", ctx.callSid(),
                    all.length(), MAX_CHARS);
            return Outcome.NEXT;
        }
        List<Object> steps = new ArrayList<>(); // asterisk prompt names (String) and breaks (Duration)
        try {
            for (SayPart part : say.parts()) {
                if (part instanceof SayPart.Text t && !t.text().isBlank()) {
                    steps.add(speech.prompt(t.text().strip(), say.voice(), say.language()));
                } else if (part instanceof SayPart.Break b && !b.duration().isZero()) {
                    steps.add(b.duration());
                }
            }
        } catch (MediaException e) {
            log.error("{} error {}: Say failed: {}", ctx.callSid(), e.code(), e.getMessage());
            return Outcome.NEXT;
        }
        for (int i = Loops.count(say.loop()); i > 0; i--) {
            for (Object step : steps) {
                if (step instanceof String prompt) ctx.call().play(prompt, "");
                else ctx.call().pause((java.time.Duration) step);
            }
        }
        return Outcome.NEXT;
    }
}
