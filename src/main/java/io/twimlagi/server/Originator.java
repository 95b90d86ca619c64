package io.twimlagi.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Places REST-created calls into Asterisk (the Manager Interface): originates {@code Local/<CallSid>@twiml-outbound-dial}
 * into {@code twiml-outbound} with the channel variables the dialing half's dialplan Dials with
 * ({@code agi/DialplanDial}), so one half dials the callee and the other runs the TwiML once the callee answers
 * (dialplan/twiml.conf).
 */
public interface Originator {
    /** False while Asterisk cannot be reached: new calls are refused (503) rather than queued. */
    boolean available();

    /**
     * Refuses ({@link IllegalArgumentException}) channel variables an Originate cannot carry (too long, too many),
     * before any call exists.
     */
    default void check(Map<String, String> variables) {
    }

    /**
     * Starts the call with {@code variables} on its channels; the future completes once Asterisk reports how the
     * Originate ended: true when the callee answered (the TwiML half runs), false when not; exceptionally when
     * Asterisk refused it or the Manager Interface was lost before it said. Asterisk gives up after
     * {@code answerWithin} if the callee never answers.
     */
    CompletableFuture<Boolean> originate(String callSid, Duration answerWithin, Map<String, String> variables);

    /** True when {@code failure} of {@link #originate} means Asterisk refused it: it made no channel. */
    default boolean refused(Throwable failure) {
        return false;
    }

    /**
     * Cancels a call being dialed: hangs up its dialing half (its Dial sends CANCEL and reports {@code canceled}),
     * or, when Asterisk has not made that channel yet, leaves word for its dialplan not to Dial at all.
     */
    void cancel(String callSid);

    /** The call is over: forgets what {@link #cancel} left for it. */
    default void ended(String callSid) {
    }

    /** Hangs up a channel (a call being dialed or in progress); false when Asterisk had no such channel. */
    boolean hangup(String channel);
}
