package io.twimlagi.engine;

import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.Gather;
import io.twimlagi.twiml.Hangup;
import io.twimlagi.twiml.Play;
import io.twimlagi.twiml.Record;
import io.twimlagi.twiml.Say;
import io.twimlagi.twiml.Verb;

/**
 * Twilio's SIP rule in one place: the call stays at 180 Ringing until a verb that needs media runs. Say, Play,
 * Record, Gather and Dial answer (200 OK); so does Hangup (Twilio answers, then ends the call); Pause, Redirect
 * and Reject do not. Dial with answerOnBridge leaves answering to the dialed leg.
 */
public final class AnswerRule {
    private AnswerRule() {
    }

    public static boolean answers(Verb verb) {
        if (verb instanceof Dial dial) return !dial.answerOnBridge();
        return verb instanceof Say || verb instanceof Play || verb instanceof Record || verb instanceof Gather
                || verb instanceof Hangup;
    }
}
