package io.twimlagi.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters, rendered in Prometheus' text format at {@code GET /metrics}: active calls, calls by the
 * final SIP code we sent, webhook latency, media cache hits. Lock-free on the call path.
 */
public final class Metrics {
    /** Webhook latency buckets, seconds (Twilio's budget tops out at 15 s). */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15};

    private final IntSupplier activeCalls;
    private final Map<Integer, LongAdder> callsBySipCode = new ConcurrentHashMap<>();
    private final LongAdder[] webhookBuckets = new LongAdder[BUCKETS.length];
    private final LongAdder webhookCount = new LongAdder();
    private final AtomicLong webhookMicros = new AtomicLong();
    private final LongAdder webhookErrors = new LongAdder();
    private final Map<String, LongAdder> cacheHits = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> cacheMisses = new ConcurrentHashMap<>();

    public Metrics(IntSupplier activeCalls) {
        this.activeCalls = activeCalls;
        for (int i = 0; i < BUCKETS.length; i++) webhookBuckets[i] = new LongAdder();
    }

    /** A call ended; {@code sipCode} is the final response we sent (200 when it was answered). */
    public void callEnded(int sipCode) {
        callsBySipCode.computeIfAbsent(sipCode, k -> new LongAdder()).increment();
    }

    /** A TwiML document fetch finished (successfully or not) after {@code millis}. */
    public void webhook(long millis, boolean ok) {
        double seconds = millis / 1000.0;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) webhookBuckets[i].increment();
        }
        webhookCount.increment();
        webhookMicros.addAndGet(millis * 1000);
        if (!ok) webhookErrors.increment();
    }

    /** A media cache lookup: {@code cache} is "tts" or "play". */
    public void cache(String cache, boolean hit) {
        (hit ? cacheHits : cacheMisses).computeIfAbsent(cache, k -> new LongAdder()).increment();
    }

    /** Prometheus text exposition format 0.0.4. */
    public String render() {
        StringBuilder b = new StringBuilder(2048);
        b.append("# HELP twiml_agi_active_calls Calls being handled now.\n")
                .append("# TYPE twiml_agi_active_calls gauge\n")
                .append("twiml_agi_active_calls ").append(activeCalls.getAsInt()).append('\n');
        b.append("# HELP twiml_agi_calls_total Calls ended, by the final SIP response sent to the caller.\n")
                .append("# TYPE twiml_agi_calls_total counter\n");
        new TreeMap<>(callsBySipCode).forEach((code, n) -> b.append("twiml_agi_calls_total{sip_code=\"")
                .append(code).append("\"} ").append(n.sum()).append('\n'));
        b.append("# HELP twiml_agi_webhook_duration_seconds Time to fetch a TwiML document.\n")
                .append("# TYPE twiml_agi_webhook_duration_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            b.append("twiml_agi_webhook_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(webhookBuckets[i].sum()).append('\n');
        }
        long count = webhookCount.sum();
        b.append("twiml_agi_webhook_duration_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n')
                .append("twiml_agi_webhook_duration_seconds_sum ").append(webhookMicros.get() / 1e6).append('\n')
                .append("twiml_agi_webhook_duration_seconds_count ").append(count).append('\n');
        b.append("# HELP twiml_agi_webhook_errors_total Document fetches that failed (before any fallback).\n")
                .append("# TYPE twiml_agi_webhook_errors_total counter\n")
                .append("twiml_agi_webhook_errors_total ").append(webhookErrors.sum()).append('\n');
        b.append("# HELP twiml_agi_media_cache_requests_total Media cache lookups by cache and result.\n")
                .append("# TYPE twiml_agi_media_cache_requests_total counter\n");
        new TreeMap<>(cacheHits).forEach((c, n) -> b.append("twiml_agi_media_cache_requests_total{cache=\"")
                .append(c).append("\",result=\"hit\"} ").append(n.sum()).append('\n'));
        new TreeMap<>(cacheMisses).forEach((c, n) -> b.append("twiml_agi_media_cache_requests_total{cache=\"")
                .append(c).append("\",result=\"miss\"} ").append(n.sum()).append('\n'));
        return b.toString();
    }
}
