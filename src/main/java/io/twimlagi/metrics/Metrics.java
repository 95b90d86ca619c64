package io.twimlagi.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics, on Prometheus' Java client, served at {@code GET /metrics}: active calls, calls by the final
 * SIP code we sent, webhook latency and errors, media cache lookups, beside the JVM's and the process's standard
 * families ({@link RuntimeMetrics}). Each instance has its own registry, so tests can build several servers.
 * <p>
 * Recording is lock-free and allocation-free on the call path: the client's counters are {@code LongAdder}s, its
 * histogram striped atomics, and each label value's data point is looked up once and kept.
 */
public final class Metrics {
    /** Webhook latency buckets, seconds (Twilio's budget tops out at 15 s). */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15};

    /** SIP final codes are 100–699: their data points are kept in an array indexed by code. */
    private static final int MAX_SIP_CODE = 699;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter calls;
    private final Histogram webhookDuration;
    private final Counter webhookErrors;
    private final Counter cacheRequests;
    private final AtomicReferenceArray<CounterDataPoint> callsBySipCode = new AtomicReferenceArray<>(MAX_SIP_CODE + 1);
    private final Map<String, CounterDataPoint> cacheHits = new ConcurrentHashMap<>();
    private final Map<String, CounterDataPoint> cacheMisses = new ConcurrentHashMap<>();

    public Metrics(IntSupplier activeCalls) {
        GaugeWithCallback.builder().name("twiml_agi_active_calls").help("Calls being handled now.")
                .callback(cb -> cb.call(activeCalls.getAsInt())).register(registry);
        calls = Counter.builder().name("twiml_agi_calls_total")
                .help("Calls ended, by the final SIP response sent to the caller.")
                .labelNames("sip_code").withoutExemplars().register(registry);
        webhookDuration = Histogram.builder().name("twiml_agi_webhook_duration_seconds")
                .help("Time to fetch a TwiML document.")
                .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
        webhookErrors = Counter.builder().name("twiml_agi_webhook_errors_total")
                .help("Document fetches that failed (before any fallback).").withoutExemplars().register(registry);
        cacheRequests = Counter.builder().name("twiml_agi_media_cache_requests_total")
                .help("Media cache lookups by cache and result.")
                .labelNames("cache", "result").withoutExemplars().register(registry);
        registry.register(RuntimeMetrics.INSTANCE);
    }

    /** A call ended; {@code sipCode} is the final response we sent (200 when it was answered). */
    public void callEnded(int sipCode) {
        if (sipCode < 0 || sipCode > MAX_SIP_CODE) {
            calls.labelValues(Integer.toString(sipCode)).inc();
            return;
        }
        CounterDataPoint point = callsBySipCode.get(sipCode);
        if (point == null) {
            point = calls.labelValues(Integer.toString(sipCode)); // the client keeps one data point per value
            callsBySipCode.set(sipCode, point);
        }
        point.inc();
    }

    /** A TwiML document fetch finished (successfully or not) after {@code millis}. */
    public void webhook(long millis, boolean ok) {
        webhookDuration.observe(millis / 1000.0);
        if (!ok) webhookErrors.inc();
    }

    /** A media cache lookup: {@code cache} is "tts" or "play". */
    public void cache(String cache, boolean hit) {
        Map<String, CounterDataPoint> points = hit ? cacheHits : cacheMisses;
        CounterDataPoint point = points.get(cache);
        if (point == null) {
            point = points.computeIfAbsent(cache, c -> cacheRequests.labelValues(c, hit ? "hit" : "miss"));
        }
        point.inc();
    }

    /** The call queues' families ({@link QueueMetrics}), read from {@code queues} at each scrape. */
    public QueueMetrics queues(Supplier<List<QueueMetrics.Figures>> queues) {
        return new QueueMetrics(registry, queues);
    }

    /** Everything, in Prometheus text exposition format 0.0.4. */
    public String render() {
        return expose(null).text();
    }

    /** Everything, in the format the scraper's {@code Accept} header asks for (null: Prometheus text 0.0.4). */
    public Exposition expose(String accept) {
        return Exposition.write(registry.scrape(), accept);
    }
}
