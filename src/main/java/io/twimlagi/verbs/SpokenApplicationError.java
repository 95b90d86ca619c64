package io.twimlagi.verbs;

import io.twimlagi.engine.ApplicationError;
import io.twimlagi.engine.CallContext;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.SpeechCache;
import io.twimlagi.sip.RejectCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Twilio's stock ending: 500 before answer; after answer "an application error has occurred", then BYE. */
public final class SpokenApplicationError implements ApplicationError {
    private static final Logger log = LoggerFactory.getLogger(SpokenApplicationError.class);
    static final String MESSAGE = "We are sorry, an application error has occurred. Goodbye.";

    private final SpeechCache speech;

    public SpokenApplicationError(SpeechCache speech) {
        this.speech = speech;
    }

    @Override
    public void handle(CallContext ctx) {
        if (!ctx.call().isAnswered()) {
            log.info("{} application error: rejecting with {}", ctx.callSid(), RejectCodes.SERVER_ERROR.sipCode);
            ctx.progress().rejected(RejectCodes.SERVER_ERROR.sipCode);
            ctx.call().reject(RejectCodes.SERVER_ERROR.sipCode);
            return;
        }
        log.info("{} application error: saying so and hanging up", ctx.callSid());
        try {
            ctx.call().play(speech.prompt(MESSAGE, "woman", "en-US"), "");
        } catch (MediaException e) {
            log.error("{} cannot speak the application error: {}", ctx.callSid(), e.getMessage());
        }
        ctx.call().hangup();
    }
}
