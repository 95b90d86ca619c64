package io.twimlagi.bench;

import java.time.Instant;

/**
 * Wall-clock time in microseconds for the benches, to compare with packet capture timestamps (tcpdump's, also the
 * system's real-time clock): the epoch is read once, then the monotonic clock gives the microseconds (cheap and
 * never stepping back during a run).
 */
final class Clocks {
    private static final long EPOCH_NANOS_AT_START;
    private static final long NANO_AT_START;

    static {
        Instant now = Instant.now();
        NANO_AT_START = System.nanoTime();
        EPOCH_NANOS_AT_START = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private Clocks() {
    }

    static long epochMicros() {
        return (EPOCH_NANOS_AT_START + (System.nanoTime() - NANO_AT_START)) / 1000;
    }
}
