package io.twimlagi.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Places REST-created calls into Asterisk (the Manager Interface): originates {@code Local/<CallSid>@twiml-outbound-dial}
 * into {@code twiml-outbound}, so one half dials the callee (the server's Dial, on AGI) and the other runs the
 * TwiML once the callee answers (dialplan/twiml.conf).
 */
public interface Originator {
    /** False while Asterisk cannot be reached: new calls are refused (503) rather than queued. */
    boolean available();

    /**
     * Starts the call; the future completes once Asterisk reports how the Originate ended (answered or not), or
     * exceptionally when it refused it or never answered. Asterisk gives up after {@code answerWithin} if the callee
     * never answers.
     */
    CompletableFuture<Void> originate(String callSid, Duration answerWithin);

    /** Hangs up a channel (a call being dialed or in progress); false when Asterisk had no such channel. */
    boolean hangup(String channel);
}
