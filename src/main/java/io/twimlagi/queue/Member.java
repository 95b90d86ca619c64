package io.twimlagi.queue;

import io.twimlagi.call.Call;

import java.time.Instant;

/**
 * One caller's place in a queue, from its {@code <Enqueue>} until it leaves. Its mutable state (waiting or not, the
 * signal another thread left for it, what stops its wait) is guarded by the {@link QueueRegistry}.
 */
public final class Member {
    final String callSid;
    final Call call;
    final CallQueue queue;
    /** Arrival order across all queues: a caller put back (its agent went away) takes its old place again. */
    final long sequence;
    final Instant enqueuedAt;
    final long enqueuedNanos;
    /** Guarded by the registry. */
    boolean waiting = true;
    Signal signal;
    Runnable stopper;
    /** The stopper ran this round (it interrupted the call, when it was not a walk's). */
    boolean stopRan;

    Member(String callSid, Call call, CallQueue queue, long sequence) {
        this.callSid = callSid;
        this.call = call;
        this.queue = queue;
        this.sequence = sequence;
        this.enqueuedAt = Instant.now();
        this.enqueuedNanos = System.nanoTime();
    }

    public String callSid() {
        return callSid;
    }

    public String queueSid() {
        return queue.sid;
    }

    public String queueName() {
        return queue.friendlyName;
    }

    /** Whole seconds since it entered the queue. */
    public int waitSeconds() {
        return seconds(System.nanoTime());
    }

    int seconds(long nowNanos) {
        return (int) Math.max(0, (nowNanos - enqueuedNanos) / 1_000_000_000L);
    }
}
