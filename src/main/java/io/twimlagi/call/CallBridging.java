package io.twimlagi.call;

import java.time.Duration;

/** Connecting the caller elsewhere: a Dial, a conference, a SIP transfer. */
public interface CallBridging {
    /**
     * Rings the legs and bridges the first that answers; returns when the bridge or the attempt ends. An
     * unanswered caller is answered by Asterisk when a leg answers (answerOnBridge). Unlike the other methods, a
     * caller who hangs up <em>during</em> the Dial is a result ({@code callerHungUp}), not an exception.
     */
    DialResult dial(DialRequest request);

    /** Joins the caller to a conference until it leaves, is kicked or the conference ends. Answers first. */
    ConferenceResult conference(ConferenceRequest request);

    /**
     * Sends a SIP REFER to the caller (the call must be answered) with {@code referTo} as Refer-To and waits for
     * the outcome Asterisk derives from the response and the NOTIFYs; {@code maxWait} bounds a transfer
     * whose final NOTIFY never comes (the call ends then, {@link TransferStatus#TIMED_OUT}).
     */
    TransferResult transfer(String referTo, Duration maxWait);
}
