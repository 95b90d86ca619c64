package io.twimlagi.server;

import io.twimlagi.queue.MemberSnapshot;
import io.twimlagi.queue.QueueRegistry;
import io.twimlagi.queue.QueueSnapshot;
import io.twimlagi.rest.ApiError;
import io.twimlagi.rest.QueuesBackend;
import io.twimlagi.twiml.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The Queues resource on this server: the {@link QueueRegistry}'s queues and waiting callers. */
final class RestQueues implements QueuesBackend {
    private static final Logger log = LoggerFactory.getLogger(RestQueues.class);

    private final QueueRegistry queues;

    RestQueues(QueueRegistry queues) {
        this.queues = queues;
    }

    @Override
    public QueueSnapshot create(String friendlyName, Integer maxSize) {
        QueueSnapshot q = refusedAs400(() -> queues.create(friendlyName, maxSize));
        log.info("REST: queue {} \"{}\" created (max size {})", q.sid(), q.friendlyName(), q.maxSize());
        return q;
    }

    @Override
    public Optional<QueueSnapshot> fetch(String queueSid) {
        return queues.fetch(queueSid);
    }

    @Override
    public List<QueueSnapshot> list() {
        return queues.list();
    }

    @Override
    public Optional<QueueSnapshot> update(String queueSid, String friendlyName, Integer maxSize) {
        return refusedAs400(() -> queues.update(queueSid, friendlyName, maxSize));
    }

    @Override
    public boolean delete(String queueSid) {
        boolean deleted = refusedAs400(() -> queues.delete(queueSid));
        if (deleted) log.info("REST: queue {} deleted", queueSid);
        return deleted;
    }

    @Override
    public Optional<List<MemberSnapshot>> members(String queueSid) {
        return queues.members(queueSid);
    }

    @Override
    public Optional<MemberSnapshot> member(String queueSid, String who) {
        return queues.member(queueSid, who);
    }

    @Override
    public Optional<MemberSnapshot> dequeue(String queueSid, String who, String url, HttpMethod method) {
        Optional<MemberSnapshot> m = queues.redirect(queueSid, who, url, method);
        m.ifPresent(x -> log.info("{} REST: dequeued from {} (position {}) to {} {}", x.callSid(), queueSid,
                x.position(), method, url));
        return m;
    }

    private static <T> T refusedAs400(Supplier<T> op) {
        try {
            return op.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ApiError.badParameter(e.getMessage());
        }
    }
}
