package io.twimlagi.agi;

import io.twimlagi.util.AddressList;

import java.time.Duration;

/**
 * What the FastAGI server trusts and how long it waits: {@code allow} are the peers that may connect at all (checked
 * on accept, before anything is read; the config's {@code agi_allow}), {@code environment} bounds the time from
 * accept to the end of the {@code agi_*} block Asterisk sends first, {@code reply} bounds the reply to each command
 * that returns at once ({@link BoundedCommands}; never a Dial, ConfBridge, Wait, playback or recording, whose
 * duration is the call's).
 */
public record AgiLimits(AddressList allow, Duration environment, Duration reply) {
    /** Loopback peers, 5 s for the environment, 10 s per bounded reply. */
    public static final AgiLimits DEFAULTS = new AgiLimits(AddressList.LOOPBACK, Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    public AgiLimits {
        if (environment.isNegative() || environment.isZero() || reply.isNegative() || reply.isZero()) {
            throw new IllegalArgumentException("AGI timeouts must be positive");
        }
    }
}
