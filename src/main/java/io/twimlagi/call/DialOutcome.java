package io.twimlagi.call;

/**
 * How a Dial attempt ended, in our words (the AGI edge translates Asterisk's DIALSTATUS). Which Twilio
 * DialCallStatus each one means is the verb layer's business.
 */
public enum DialOutcome {
    /** A leg answered (it may still have been refused before the bridge: {@link DialResult#refused()}). */
    ANSWERED,
    /** A leg said busy. */
    BUSY,
    /** Legs were reached (some SIP response came) but none answered within the timeout. */
    NO_ANSWER,
    /** Not one leg sent any SIP response within the timeout: nothing was reachable. */
    NO_RESPONSE,
    /** The caller hung up while the legs rang. */
    CANCELED,
    /** The network was congested. */
    CONGESTION,
    /** The legs failed (a final failure response, or a channel that could not be created). */
    UNAVAILABLE,
    /** Anything else Asterisk reports (bad arguments, privacy refusals). */
    FAILED
}
