package io.twimlagi.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The 20 ms clock of every bidirectional stream: one thread that, every 20 ms on a fixed grid (absolute deadlines, so
 * it never drifts), gives each stream its turn to send one frame to Asterisk. Asterisk's AudioSocket() writes what it
 * receives to the call at once, so this clock is the call's playout clock: audio never queues inside Asterisk,
 * which is what makes {@code clear} immediate and marks exact. When the thread runs late, the missed frames are
 * sent as soon as it runs again (up to {@link #MAX_FRAMES_PER_PASS} per pass), so a hiccup is a moment of jitter
 * for the caller, never lasting latency; more than a second behind, the grid starts again.
 */
final class StreamClock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamClock.class);
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** At most this many frames per stream in one pass when catching up. */
    static final int MAX_FRAMES_PER_PASS = 5;
    /** Beyond this behind, missed frames are not caught up. */
    static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What the clock drives. */
    interface Ticking {
        /** Sends this period's frame; must not block. */
        void tick();
    }

    private final Set<Ticking> streams = ConcurrentHashMap.newKeySet();
    private Thread thread;
    private volatile boolean closed;

    /** Starts ticking {@code t} (and the clock, on first use). */
    synchronized void add(Ticking t) {
        if (closed) return;
        streams.add(t);
        if (thread == null) {
            thread = new Thread(this::run, "stream-clock");
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
            thread.start();
        }
    }

    void remove(Ticking t) {
        streams.remove(t);
    }

    int size() {
        return streams.size();
    }

    private void run() {
        long next = System.nanoTime() + PERIOD_NANOS;
        while (!closed) {
            long now = System.nanoTime();
            if (next - now > 0) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            // late (the thread was not scheduled, a GC pause): the frames of the missed periods go now, a few per
            // pass, so that a hiccup never becomes lasting latency (a skipped tick would leave its frame queued)
            long owed = Math.min(MAX_FRAMES_PER_PASS, 1 + (now - next) / PERIOD_NANOS);
            for (Ticking t : streams) {
                for (int i = 0; i < owed; i++) {
                    try {
                        t.tick();
                    } catch (RuntimeException e) {
                        log.error("stream clock: a stream failed its tick: {}", e.toString(), e);
                    }
                }
            }
            next += owed * PERIOD_NANOS;
            if (now - next > GIVE_UP_NANOS) next = now + PERIOD_NANOS; // too far behind: start a new grid
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        streams.clear();
        if (thread != null) LockSupport.unpark(thread);
    }
}
