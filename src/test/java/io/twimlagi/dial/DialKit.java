package io.twimlagi.dial;

import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.engine.CallLog;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.webhook.CallbackSender;

/** A Dial executor for unit tests, wired as the composition root wires it, with the parts a test replaces. */
final class DialKit {
    static final ConferenceSounds SOUNDS = new ConferenceSounds("tones/join", "tones/leave", "tones/silence");

    private DialKit() {
    }

    /** {@code recorder}, {@code callbacks} and {@code capture} may be null (none). */
    static DialExecutor executor(DialSessions sessions, Recorder recorder, CallbackSender callbacks,
                                 SipCapture capture) {
        return new DialExecutor(new ConferenceExecutor(SOUNDS, new ConferenceHold(), recorder, callbacks), sessions,
                recorder, callbacks, null, capture, CallLog.NONE);
    }

    /** No screening, no recorder, no callbacks, no SIP capture. */
    static DialExecutor executor() {
        return executor(new DialSessions(null, null), null, null, null);
    }
}
