package io.twimlagi.rest;

import io.twimlagi.queue.MemberSnapshot;
import io.twimlagi.queue.QueueSnapshot;
import io.twimlagi.twiml.HttpMethod;

import java.util.List;
import java.util.Optional;

/**
 * What the Queues resource needs from the server. {@code who} is a member's CallSid or {@code Front} (the first in
 * line). Refusals (a duplicate name, a size out of range, a queue with callers deleted) are {@link ApiError}s.
 */
public interface QueuesBackend {
    QueueSnapshot create(String friendlyName, Integer maxSize);

    Optional<QueueSnapshot> fetch(String queueSid);

    /** Every queue, oldest first. */
    List<QueueSnapshot> list();

    /** Null arguments leave that setting as it is. */
    Optional<QueueSnapshot> update(String queueSid, String friendlyName, Integer maxSize);

    /** False when there is no such queue. */
    boolean delete(String queueSid);

    /** The callers waiting, in order; empty when there is no such queue. */
    Optional<List<MemberSnapshot>> members(String queueSid);

    Optional<MemberSnapshot> member(String queueSid, String who);

    /** The member leaves the queue and its call runs the TwiML at {@code url}; the member as it was. */
    Optional<MemberSnapshot> dequeue(String queueSid, String who, String url, HttpMethod method);
}
