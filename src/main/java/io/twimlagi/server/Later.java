package io.twimlagi.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clock and the delayed checks of REST calls whose halves may never report ({@link OutboundCalls}); a test
 * moves its own clock by hand.
 */
interface Later {
    /** A monotonic clock, in nanoseconds (as {@link System#nanoTime()}). */
    long nanoTime();

    /** Runs {@code check} once {@code delay} has passed. */
    void after(Duration delay, Runnable check);

    /** The JVM's clock and delayed executor. */
    Later SYSTEM = new Later() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void after(Duration delay, Runnable check) {
            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(check);
        }
    };
}
