package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.AudioLibrary;
import io.twimlagi.media.MediaException;
import io.twimlagi.twiml.Play;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <Play>}: the audio at the URL (fetched and converted once, cached), {@code loop} times; or, with
 * {@code digits}, DTMF to the caller. A missing or undecodable file is logged and the next verb runs, as on
 * Twilio — never dead air.
 */
public final class PlayExecutor implements VerbExecutor<Play> {
    private static final Logger log = LoggerFactory.getLogger(PlayExecutor.class);

    private final AudioLibrary audio;

    public PlayExecutor(AudioLibrary audio) {
        this.audio = audio;
    }

    @Override
    public Outcome execute(Play play, CallContext ctx) {
        if (play.digits() != null && !play.digits().isEmpty()) {
            ctx.call().sendDigits(play.digits());
            return Outcome.NEXT;
        }
        String url = ctx.resolve(play.url());
        String prompt;
        try {
            prompt = audio.audio(url);
        } catch (MediaException e) {
            log.error("{} error {}: Play {} failed: {}", ctx.callSid(), e.code(), url, e.getMessage());
            return Outcome.NEXT;
        }
        for (int i = Loops.count(play.loop()); i > 0; i--) ctx.call().play(prompt, "");
        return Outcome.NEXT;
    }
}
