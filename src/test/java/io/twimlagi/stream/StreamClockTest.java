package io.twimlagi.stream;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 20 ms clock on a real thread. */
class StreamClockTest {
    private static final int TICKS = 80;
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    @Test
    void framesOwedAfterAStallGoAtOnceSoTheStreamStaysOnItsGrid() throws Exception {
        long[] at = new long[TICKS];
        AtomicInteger n = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        try (StreamClock clock = new StreamClock()) {
            clock.add(() -> {
                int k = n.getAndIncrement();
                if (k >= TICKS) return;
                at[k] = System.nanoTime();
                if (k == 10) LockSupport.parkNanos(STALL_NANOS); // the clock thread held up for ten periods
                if (k == TICKS - 1) done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS), "ticks: " + n.get());
        }
        // skipped ticks would leave their frames queued: the last tick would come 200 ms after its place on the grid
        long behind = at[TICKS - 1] - at[0] - (TICKS - 1) * StreamClock.PERIOD_NANOS;
        assertTrue(behind < STALL_NANOS / 2, "the last tick is " + behind / 1_000_000 + " ms behind its grid");
        for (int k = 12; k < 16; k++) { // the owed ones went in a burst right after the stall
            assertTrue(at[k] - at[11] < TimeUnit.MILLISECONDS.toNanos(15), "tick " + k + " was not owed at once");
        }
    }
}
