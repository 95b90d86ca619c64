package io.twimlagi.call;

import java.util.List;

/**
 * How a Dial ended. {@code outcome} says what happened; {@code answeredSeconds} the bridged time; {@code sipCode}
 * the deciding leg's last SIP response as Asterisk recorded it (200 when answered; a 1xx for a leg cancelled while
 * it rang; 0 when unknown); {@code sipLeg} whether that leg was a {@code <Sip>} noun; {@code sipCallId} that leg's
 * Call-ID (null when unknown); {@code callerHungUp} true when the caller left during the Dial (the call is gone
 * afterwards); {@code legIndex} the deciding leg's index in the request's legs, -1 when unknown;
 * {@code legSipCodes} the last SIP response of every leg, in the request's order (180/183 for a leg cancelled
 * while ringing, 0 when none), empty when Asterisk did not create every leg; {@code refused}: the answered leg
 * was not bridged (its screening said no, or the check failed); {@code recordingClosed}: the request's recording
 * file is closed (StopMixMonitor ran after the Dial), false when that is not known (Asterisk then closes it later,
 * on its own thread).
 */
public record DialResult(DialOutcome outcome, int answeredSeconds, int sipCode, boolean sipLeg, String sipCallId,
                         boolean callerHungUp, int legIndex, List<Integer> legSipCodes, boolean refused,
                         boolean recordingClosed) {
    public DialResult {
        legSipCodes = List.copyOf(legSipCodes);
    }

    public DialResult(DialOutcome outcome, int answeredSeconds, int sipCode, boolean sipLeg, String sipCallId,
                      boolean callerHungUp, int legIndex, List<Integer> legSipCodes, boolean refused) {
        this(outcome, answeredSeconds, sipCode, sipLeg, sipCallId, callerHungUp, legIndex, legSipCodes, refused,
                false);
    }

    public DialResult(DialOutcome outcome, int answeredSeconds, int sipCode, boolean sipLeg, String sipCallId,
                      boolean callerHungUp, int legIndex, List<Integer> legSipCodes) {
        this(outcome, answeredSeconds, sipCode, sipLeg, sipCallId, callerHungUp, legIndex, legSipCodes, false);
    }

    public DialResult(DialOutcome outcome, int answeredSeconds, int sipCode, boolean sipLeg, String sipCallId,
                      boolean callerHungUp) {
        this(outcome, answeredSeconds, sipCode, sipLeg, sipCallId, callerHungUp, -1, List.of());
    }

    /** The same result with what happened after the Dial: the answered leg refused, the recording closed. */
    public DialResult after(boolean refusedLeg, boolean closed) {
        return new DialResult(outcome, answeredSeconds, sipCode, sipLeg, sipCallId, callerHungUp, legIndex,
                legSipCodes, refusedLeg, closed);
    }

    public boolean answered() {
        return outcome == DialOutcome.ANSWERED;
    }

    /** The callee answered and was bridged (not refused before the bridge by the answered-leg routine). */
    public boolean bridged() {
        return answered() && !refused;
    }
}
