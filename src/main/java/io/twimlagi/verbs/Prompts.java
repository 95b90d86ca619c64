package io.twimlagi.verbs;

import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.media.AudioLibrary;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.SpeechCache;
import io.twimlagi.twiml.Pause;
import io.twimlagi.twiml.Play;
import io.twimlagi.twiml.Say;
import io.twimlagi.twiml.SayPart;
import io.twimlagi.twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What Say, Play and Pause sound like: a list of audio files and silences, played {@code loops} times. Shared by
 * their own executors and by Gather, which plays the same prompts but stops at the first key (barge-in).
 */
public final class Prompts {
    private static final Logger log = LoggerFactory.getLogger(Prompts.class);
    /** Twilio's limit for basic voices (error 13521). */
    static final int MAX_SAY_CHARS = 4096;
    static final Prompt NOTHING = new Prompt(List.of(), 0);

    public sealed interface Step {
    }

    public record Audio(String asteriskName) implements Step {
    }

    public record Silence(Duration length) implements Step {
    }

    public record Prompt(List<Step> steps, int loops) {
    }

    private final SpeechCache speech;
    private final AudioLibrary audio;

    public Prompts(SpeechCache speech, AudioLibrary audio) {
        this.speech = speech;
        this.audio = audio;
    }

    /** The prompt for a Say, Play (audio, not digits) or Pause; {@link #NOTHING} after a logged error. */
    public Prompt of(Verb verb, CallContext ctx) {
        if (verb instanceof Say say) return say(say, ctx);
        if (verb instanceof Play play) return play(play, ctx);
        if (verb instanceof Pause pause) return new Prompt(List.of(new Silence(Duration.ofSeconds(pause.length()))), 1);
        return NOTHING;
    }

    private Prompt say(Say say, CallContext ctx) {
        int length = say.text().length();
        if (length > MAX_SAY_CHARS) {
            log.error("{} error 13521: Say text is {} characters, the limit is {}; skipped", ctx.callSid(), length,
                    MAX_SAY_CHARS);
            return NOTHING;
        }
        List<Step> steps = new ArrayList<>();
        try {
            for (SayPart part : say.parts()) {
                if (part instanceof SayPart.Text t && !t.text().isBlank()) {
                    steps.add(new Audio(speech.prompt(t.text().strip(), say.voice(), say.language())));
                } else if (part instanceof SayPart.Break b && !b.duration().isZero()) {
                    steps.add(new Silence(b.duration()));
                }
            }
        } catch (MediaException e) {
            log.error("{} error {}: Say failed: {}", ctx.callSid(), e.code(), e.getMessage());
            return NOTHING;
        }
        return new Prompt(steps, Loops.count(say.loop()));
    }

    private Prompt play(Play play, CallContext ctx) {
        String url = ctx.resolve(play.url());
        try {
            return new Prompt(List.of(new Audio(audio.audio(url, ctx.domain().fileRoot()))), Loops.count(play.loop()));
        } catch (MediaException e) {
            log.error("{} error {}: Play {} failed: {}", ctx.callSid(), e.code(), url, e.getMessage());
            return NOTHING;
        }
    }

    /** Plays the prompt; returns the first key in {@code stopKeys} pressed meanwhile, or 0. */
    public static char play(Prompt prompt, Call call, String stopKeys) {
        for (int i = prompt.loops(); i > 0; i--) {
            for (Step step : prompt.steps()) {
                char key;
                if (step instanceof Audio a) {
                    key = call.play(a.asteriskName(), stopKeys);
                } else {
                    Duration length = ((Silence) step).length();
                    if (stopKeys.isEmpty()) {
                        call.pause(length);
                        key = 0;
                    } else {
                        key = call.waitForDigit(length);
                    }
                }
                if (key != 0) return key;
            }
        }
        return 0;
    }
}
