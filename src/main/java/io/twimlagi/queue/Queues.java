package io.twimlagi.queue;

import io.twimlagi.engine.DocumentWalker;
import io.twimlagi.engine.VerbRunner;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.metrics.Metrics;
import io.twimlagi.metrics.QueueMetrics;
import io.twimlagi.webhook.CallbackSender;

import java.io.IOException;

/**
 * The contact-center feature as the composition root wires it: the server's {@link QueueRegistry}, the executors
 * of {@code <Enqueue>}, {@code <Leave>} and {@code <Dial><Queue>}, and the queues' metrics.
 */
public record Queues(QueueRegistry registry, EnqueueExecutor enqueue, LeaveExecutor leave, QueueDialer dial) {
    /**
     * {@code mediaVerbs} runs the verbs of wait and Queue url documents (Play, Say, Pause, Gather, Redirect,
     * Hangup), as a screening's.
     */
    public static Queues create(MediaStore store, DocumentWalker walker, VerbRunner mediaVerbs, Metrics metrics,
                                CallbackSender callbacks) throws IOException, MediaException {
        QueueRegistry registry = new QueueRegistry();
        QueueMetrics queueMetrics = metrics.queues(() -> registry.list().stream()
                .map(q -> new QueueMetrics.Figures(q.friendlyName(), q.currentSize(), q.longestWaitSeconds(),
                        q.averageWaitSeconds())).toList());
        QueueRooms rooms = QueueRooms.create(store);
        return new Queues(registry, new EnqueueExecutor(registry, walker, mediaVerbs, rooms, queueMetrics, callbacks),
                new LeaveExecutor(), new QueueDialer(registry, rooms, callbacks));
    }
}
