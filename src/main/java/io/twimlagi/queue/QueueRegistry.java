package io.twimlagi.queue;

import io.twimlagi.call.Call;
import io.twimlagi.twilio.Sids;
import io.twimlagi.twiml.HttpMethod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every queue of the server (one JVM, one account), by SID and by name, and every caller waiting in one. Queues are
 * created by the first {@code <Enqueue>} naming them or through the REST API, and live as long as the process: a
 * config reload (SIGHUP) keeps them and their callers, a restart loses them (see {@link #shutdown}). One lock
 * guards all of it: every operation is a few list steps, and a caller's wait is never inside it.
 */
public final class QueueRegistry {
    /** Twilio's default size of a queue (its Enqueue and Queue resource pages), and its upper limit. */
    public static final int DEFAULT_MAX_SIZE = 1000;
    public static final int MAX_SIZE_LIMIT = 5000;
    /** Twilio's longest queue name. */
    public static final int MAX_NAME = 64;
    /** Queues this server keeps at most (Twilio publishes no number; it bounds memory and /metrics' series). */
    public static final int MAX_QUEUES = 10_000;

    /** Why an Enqueue did not put the caller in a queue. */
    public enum Refusal { FULL, TOO_MANY_QUEUES, SHUTTING_DOWN }

    /** The outcome of an Enqueue: the caller's place, or why there is none ({@code queueSid} null if no queue). */
    public record Admission(Member member, Refusal refusal, String queueSid) {
    }

    private final Map<String, CallQueue> bySid = new LinkedHashMap<>();
    private final Map<String, CallQueue> byName = new HashMap<>();
    private long sequence;
    private boolean shuttingDown;

    /**
     * Puts a caller at the end of the queue {@code name}, creating the queue (with {@code sizeIfNew}, or Twilio's
     * default) when there is none.
     */
    public synchronized Admission enqueue(String name, Integer sizeIfNew, String callSid, Call call) {
        CallQueue q = byName.get(name);
        if (shuttingDown) return new Admission(null, Refusal.SHUTTING_DOWN, q == null ? null : q.sid);
        if (q == null) {
            if (bySid.size() >= MAX_QUEUES) return new Admission(null, Refusal.TOO_MANY_QUEUES, null);
            int size = sizeIfNew == null ? DEFAULT_MAX_SIZE : Math.max(1, Math.min(MAX_SIZE_LIMIT, sizeIfNew));
            q = add(name, size);
        }
        if (q.waiting.size() >= q.maxSize) return new Admission(null, Refusal.FULL, q.sid);
        Member m = new Member(callSid, call, q, ++sequence);
        q.insert(m);
        return new Admission(m, null, q.sid);
    }

    private CallQueue add(String name, int maxSize) {
        CallQueue q = new CallQueue(Sids.newQueueSid(), name, maxSize);
        bySid.put(q.sid, q);
        byName.put(name, q);
        return q;
    }

    /** The member's place (from 1), 0 when it is not waiting. */
    public synchronized int position(Member m) {
        return m.waiting ? m.queue.waiting.indexOf(m) + 1 : 0;
    }

    /** Its queue now (size, average wait...). */
    public synchronized QueueSnapshot queueOf(Member m) {
        return m.queue.snapshot(System.nanoTime());
    }

    /**
     * While the member waits, {@code stopper} ends what it is doing (a wait document, hold music) when another
     * thread leaves it a signal. False when a signal came already: the member must not start waiting.
     */
    public synchronized boolean attach(Member m, Runnable stopper) {
        if (m.signal != null) return false;
        m.stopper = stopper;
        m.stopRan = false;
        return true;
    }

    public synchronized void detach(Member m) {
        m.stopper = null;
    }

    /** True when the current round's stopper ran. */
    synchronized boolean stopRan(Member m) {
        return m.stopRan;
    }

    /** The signal left for the member, once (null: none). */
    synchronized Signal takeSignal(Member m) {
        Signal s = m.signal;
        m.signal = null;
        m.stopRan = false;
        return s;
    }

    /** The member is out of the queue (it hung up, left, was redirected); nothing if it was out already. */
    public synchronized void leave(Member m) {
        if (!m.waiting) return;
        m.waiting = false;
        m.queue.waiting.remove(m);
    }

    /**
     * The member's thread is done with the queue: out of it, and a signal that came too late (an agent took it just
     * as it hung up) is handed back, so its sender is not left waiting.
     */
    synchronized Signal abandon(Member m) {
        leave(m);
        m.stopper = null;
        return takeSignal(m);
    }

    /**
     * Takes a member out of its queue with a signal for it and stops its wait. The stop runs under the lock (it only
     * sets flags and writes one NOOP), so none can come after the member's thread detached.
     */
    private synchronized boolean signal(Member m, Signal s) {
        if (!m.waiting) return false;
        m.waiting = false;
        m.queue.waiting.remove(m);
        m.signal = s;
        if (m.stopper != null) {
            m.stopRan = true;
            m.stopper.run();
        }
        return true;
    }

    /** The queue named {@code name}, if it exists. */
    public synchronized Optional<String> sidOf(String name) {
        CallQueue q = byName.get(name);
        return q == null ? Optional.empty() : Optional.of(q.sid);
    }

    /**
     * An agent takes the first caller of the queue: the caller gets {@code handoff} (built for it) and its wait
     * stops. Null when the queue is empty or gone.
     */
    Handoff dequeueFront(String queueSid, Function<Member, Handoff> handoff) {
        while (true) {
            Member front;
            synchronized (this) {
                CallQueue q = bySid.get(queueSid);
                if (q == null || q.waiting.isEmpty()) return null;
                front = q.waiting.get(0);
            }
            Handoff h = handoff.apply(front);
            if (signal(front, new Signal.Dequeued(h))) return h; // else it left meanwhile: the next one
        }
    }

    /** A dequeued caller whose agent went away goes back to its place; false when the server is stopping. */
    synchronized boolean putBack(Member m) {
        if (shuttingDown || m.waiting || !bySid.containsKey(m.queue.sid)) return false;
        m.waiting = true;
        m.signal = null;
        m.queue.insert(m);
        return true;
    }

    /**
     * REST: the member (a CallSid, or {@code Front}) leaves the queue and runs {@code url}. Empty when there is no
     * such queue or member.
     */
    public Optional<MemberSnapshot> redirect(String queueSid, String who, String url, HttpMethod method) {
        Member m;
        MemberSnapshot before;
        synchronized (this) {
            Optional<Member> found = find(queueSid, who);
            if (found.isEmpty()) return Optional.empty();
            m = found.get();
            before = snapshot(m);
        }
        return signal(m, new Signal.Redirected(url, method)) ? Optional.of(before) : Optional.empty();
    }

    /**
     * SIGTERM: every waiting caller leaves at once ({@code system-shutdown}) and no one may enter; callers already
     * bridged stay until their call ends (the shutdown grace).
     */
    public void shutdown() {
        List<Member> all = new ArrayList<>();
        synchronized (this) {
            shuttingDown = true;
            for (CallQueue q : bySid.values()) all.addAll(q.waiting);
        }
        all.forEach(m -> signal(m, new Signal.Shutdown()));
    }

    // ------------------------------------------------------------------------------------------ REST resources

    public synchronized QueueSnapshot create(String friendlyName, Integer maxSize) {
        checkName(friendlyName, null);
        if (bySid.size() >= MAX_QUEUES) throw new IllegalStateException("this server keeps at most " + MAX_QUEUES
                + " queues: delete some first");
        return add(friendlyName, maxSize == null ? DEFAULT_MAX_SIZE : checkSize(maxSize)).snapshot(System.nanoTime());
    }

    public synchronized Optional<QueueSnapshot> fetch(String sid) {
        CallQueue q = bySid.get(sid);
        return q == null ? Optional.empty() : Optional.of(q.snapshot(System.nanoTime()));
    }

    /** Every queue, oldest first. */
    public synchronized List<QueueSnapshot> list() {
        long now = System.nanoTime();
        return bySid.values().stream().map(q -> q.snapshot(now)).toList();
    }

    /** Renames and/or resizes (null: unchanged); a smaller size refuses newcomers until the queue shrinks. */
    public synchronized Optional<QueueSnapshot> update(String sid, String friendlyName, Integer maxSize) {
        CallQueue q = bySid.get(sid);
        if (q == null) return Optional.empty();
        if (friendlyName != null && !friendlyName.equals(q.friendlyName)) {
            checkName(friendlyName, q);
            byName.remove(q.friendlyName);
            q.friendlyName = friendlyName;
            byName.put(friendlyName, q);
        }
        if (maxSize != null) q.maxSize = checkSize(maxSize);
        q.dateUpdated = Instant.now();
        return Optional.of(q.snapshot(System.nanoTime()));
    }

    /** Deletes an empty queue; false when there is none; refused while callers wait in it. */
    public synchronized boolean delete(String sid) {
        CallQueue q = bySid.get(sid);
        if (q == null) return false;
        if (!q.waiting.isEmpty()) {
            throw new IllegalStateException("Queue " + sid + " has " + q.waiting.size()
                    + " caller(s) waiting: dequeue them first");
        }
        bySid.remove(sid);
        byName.remove(q.friendlyName);
        return true;
    }

    /** The queue's waiting callers in order; empty when there is no such queue. */
    public synchronized Optional<List<MemberSnapshot>> members(String queueSid) {
        CallQueue q = bySid.get(queueSid);
        return q == null ? Optional.empty() : Optional.of(q.members(System.nanoTime()));
    }

    /** One waiting caller (a CallSid, or {@code Front} for the first). */
    public synchronized Optional<MemberSnapshot> member(String queueSid, String who) {
        return find(queueSid, who).map(this::snapshot);
    }

    private Optional<Member> find(String queueSid, String who) {
        CallQueue q = bySid.get(queueSid);
        if (q == null || q.waiting.isEmpty()) return Optional.empty();
        if ("Front".equals(who)) return Optional.of(q.waiting.get(0));
        return q.waiting.stream().filter(m -> m.callSid.equals(who)).findFirst();
    }

    private MemberSnapshot snapshot(Member m) {
        return new MemberSnapshot(m.callSid, m.queue.sid, m.enqueuedAt, m.queue.waiting.indexOf(m) + 1,
                m.waitSeconds());
    }

    private void checkName(String name, CallQueue self) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("FriendlyName is required");
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("FriendlyName must be at most " + MAX_NAME + " characters");
        }
        CallQueue other = byName.get(name);
        if (other != null && other != self) {
            throw new IllegalArgumentException("A queue named \"" + name + "\" exists already (" + other.sid + ")");
        }
    }

    private static int checkSize(int size) {
        if (size < 1 || size > MAX_SIZE_LIMIT) {
            throw new IllegalArgumentException("MaxSize must be between 1 and " + MAX_SIZE_LIMIT);
        }
        return size;
    }
}
