package io.twimlagi.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.function.Supplier;

/**
 * The call queues in /metrics: per queue (label {@code queue}, its name) the callers waiting now, the longest and
 * the average wait so far, read from the queues at each scrape; and how long callers waited before they left, by
 * Twilio's QueueResult. The per-queue series are as many as the queues (at most 10,000, the server's cap).
 */
public final class QueueMetrics {
    /** Wait buckets, seconds: a few seconds to an hour. */
    static final double[] WAIT_BUCKETS = {1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600};

    /** One queue at the moment of the scrape. */
    public record Figures(String queue, int size, int longestWaitSeconds, int averageWaitSeconds) {
    }

    private final Histogram waited;

    QueueMetrics(PrometheusRegistry registry, Supplier<List<Figures>> queues) {
        GaugeWithCallback.builder().name("twiml_agi_queue_size").help("Callers waiting in the queue now.")
                .labelNames("queue")
                .callback(cb -> queues.get().forEach(q -> cb.call(q.size(), q.queue()))).register(registry);
        GaugeWithCallback.builder().name("twiml_agi_queue_longest_wait_seconds")
                .help("How long the caller first in line has waited.").labelNames("queue")
                .callback(cb -> queues.get().forEach(q -> cb.call(q.longestWaitSeconds(), q.queue())))
                .register(registry);
        GaugeWithCallback.builder().name("twiml_agi_queue_average_wait_seconds")
                .help("The average wait so far of the callers waiting now (the REST API's average_wait_time).")
                .labelNames("queue")
                .callback(cb -> queues.get().forEach(q -> cb.call(q.averageWaitSeconds(), q.queue())))
                .register(registry);
        waited = Histogram.builder().name("twiml_agi_queue_wait_seconds")
                .help("Time callers spent waiting in a queue, by how they left it (QueueResult).")
                .labelNames("result").classicOnly().classicUpperBounds(WAIT_BUCKETS).withoutExemplars()
                .register(registry);
    }

    /** A caller left a queue after {@code seconds}, for this {@code result} (Twilio's word). */
    public void left(String result, double seconds) {
        waited.labelValues(result).observe(seconds);
    }
}
