package io.twimlagi.call;

/** Why a participant's time in a conference ended (the AGI edge translates ConfBridge's CONFBRIDGE_RESULT). */
public enum ConferenceExit {
    /** The participant hung up. */
    HUNG_UP,
    /** Another participant's leaving ended the conference (or an operator kicked this one). */
    KICKED,
    /** A waiting participant was let out because the last starter left. */
    STARTERS_LEFT,
    /** The participant pressed the leave key. */
    LEFT_BY_KEY,
    /** The participant's time limit ran out. */
    TIME_LIMIT,
    /** The participant could not join (the conference was full, a bad profile). */
    NOT_JOINED,
    /** Any other reason Asterisk gives. */
    OTHER
}
