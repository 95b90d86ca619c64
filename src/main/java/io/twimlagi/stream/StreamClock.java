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
 * which is what makes {@code clear} immediate and marks exact. A tick that comes more than two frames late (a long
 * GC pause) moves the grid instead of bursting frames.
 */
final class StreamClock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamClock.class);
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

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
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            for (Ticking t : streams) {
                try {
                    t.tick();
                } catch (RuntimeException e) {
                    log.error("stream clock: a stream failed its tick: {}", e.toString(), e);
                }
            }
            next += PERIOD_NANOS;
            long now = System.nanoTime();
            if (now - next > 2 * PERIOD_NANOS) next = now + PERIOD_NANOS;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        streams.clear();
        if (thread != null) LockSupport.unpark(thread);
    }
}
