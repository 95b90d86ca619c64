package io.twimlagi.dial;

import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialResult;

/** Twilio's words for how a Dial ended: DialCallStatus, a child leg's final CallStatus, DialSipResponseCode. */
public final class DialStatuses {
    private DialStatuses() {
    }

    /**
     * DialCallStatus: answered → completed, busy, no-answer, canceled; otherwise decided by the deciding leg's
     * SIP code: 486/600 busy, 603 Decline, 480 and 408 no-answer (as Twilio reports a declined leg), else failed
     * (nothing reachable, 404, 503...).
     */
    public static String callStatus(DialResult r) {
        return switch (r.outcome()) {
            case ANSWERED -> "completed";
            case BUSY -> "busy";
            case NO_ANSWER -> "no-answer";
            case CANCELED -> "canceled";
            default -> {
                int code = sipResponseCode(r);
                if (code == 486 || code == 600) yield "busy";
                if (code == 603 || code == 480 || code == 408) yield "no-answer";
                yield "failed";
            }
        };
    }

    /**
     * The deciding leg's final response as Twilio reports it (DialSipResponseCode): 200 when answered; for a leg
     * Asterisk cancelled while it rang (timeout, the caller gone, another leg answered) the callee's 487, which
     * arrives after the leg is gone; 0 when there was no final response.
     */
    public static int sipResponseCode(DialResult r) {
        int code = r.sipCode();
        if (code > 0 && code < 200) {
            return r.outcome() == DialOutcome.NO_ANSWER || r.outcome() == DialOutcome.CANCELED ? 487 : 0;
        }
        return code;
    }

    /** The final CallStatus of leg {@code i} (its last SIP response {@code code}) for its status callback. */
    static String legStatus(DialResult r, int i, int code) {
        if (r.legSipCodes().isEmpty()) return callStatus(r); // Asterisk did not create every leg: the Dial's
        boolean canceled = r.outcome() == DialOutcome.CANCELED;
        if (r.answered()) return r.legIndex() == i ? "completed" : "canceled";
        if (code == 486 || code == 600) return "busy";
        if (code == 603 || code == 480 || code == 408 || code == 487 || (code > 0 && code < 200)) {
            return canceled ? "canceled" : "no-answer";
        }
        return canceled ? "canceled" : "failed";
    }
}
