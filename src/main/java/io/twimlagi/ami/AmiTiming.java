package io.twimlagi.ami;

import java.time.Duration;

/**
 * The client's clocks: how long an action may wait for Asterisk's answer (also the TCP connect and login steps),
 * the reconnection backoff (doubling from {@code minBackoff} to {@code maxBackoff}), and how often a quiet
 * connection is checked with a Ping (a peer that vanished without closing TCP is noticed within
 * {@code pingInterval + actionTimeout}).
 */
record AmiTiming(Duration actionTimeout, Duration minBackoff, Duration maxBackoff, Duration pingInterval) {
    static final AmiTiming DEFAULT = new AmiTiming(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofSeconds(10));
}
