package io.twimlagi.call;

import java.util.Map;

/** The call's state: answering it, ending it, stopping what runs on it, and what the operator sees of it. */
public interface CallControl {
    /** Sends 200 OK; does nothing when the call is already answered. */
    void answer();

    boolean isAnswered();

    /** Runs {@code listener} once, on the call's thread, when the call gets answered (by us or by a bridge). */
    void onAnswer(Runnable listener);

    /** Refuses an unanswered call with this SIP final response; the call is over afterwards. */
    void reject(int sipCode);

    /** Ends the call (BYE when answered). */
    void hangup();

    /** True once the caller hung up or the call was ended. */
    boolean isGone();

    /**
     * The caller hung up, as Asterisk reported elsewhere (its manager events) before this call's own connection
     * says so: the call is gone from now on (no command goes out any more). Safe from any thread.
     */
    void hangupReported();

    /** How the edge names this call (Asterisk's channel name and unique id), for the manager and the logs. */
    ChannelId channel();

    /**
     * Asks the call's thread to stop what it plays or waits for: the {@link CallMedia} command in progress (a
     * playback, a wait for a key, a pause) returns at once by throwing {@link CallInterrupted}, and so does every
     * media command after it until {@link #clearInterrupt()}. Commands that bridge or record end on their own
     * first, unless the edge can end them too (see {@link #interrupted()}). Safe from any thread.
     */
    void interrupt();

    /**
     * True while an {@link #interrupt()} is pending. A bridge (a Dial, a conference) ends early for it where the
     * edge can end one; its verb then stops after its bookkeeping, without its action.
     */
    boolean interrupted();

    /** Ends an {@link #interrupt()} once its new instructions were taken: media commands run again. */
    void clearInterrupt();

    /**
     * Shows the call's state to the operator: sets these channel variables (TWIML_CALLSID, TWIML_URL,
     * TWIML_VERB), visible with Asterisk's {@code core show channel}. Names are constants of ours.
     */
    void annotate(Map<String, String> variables);
}
