package io.twimlagi.engine;

/** Why a walk through TwiML documents ended; what that means is the walk's owner's business. */
public enum WalkEnd {
    /** The last document's verbs ran out (a call's own TwiML: the call ends as with {@code <Hangup/>}). */
    DOCUMENTS_RAN_OUT,
    /** A verb ended it: {@code <Hangup>}, {@code <Reject>}, an application error already handled. */
    ENDED,
    /** A verb the policy ends the walk with, not run (a screening's {@code <Hangup>}). */
    ENDING_VERB,
    /** A verb the policy does not allow. */
    VERB_NOT_ALLOWED,
    /** A document could not be fetched (nor its fallback, where the policy has one). */
    FETCH_FAILED,
    /** More documents than the policy allows (a Redirect loop). */
    TOO_MANY_DOCUMENTS,
    /** The policy's time limit ran out. */
    TIME_UP,
    /** Stopped from outside ({@link Walk#stop()}). */
    STOPPED,
    /** The caller hung up. */
    CALLER_GONE
}
