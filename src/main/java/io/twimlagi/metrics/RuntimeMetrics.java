package io.twimlagi.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The JVM's and the process's figures under the Prometheus client's standard names ({@code jvm_*}, {@code process_*}:
 * heap and pools, GC pauses, threads, classes, buffer pools, CPU seconds, file descriptors, resident memory, start
 * time), collected at scrape time.
 * <p>
 * One set per process, on a registry of our own (not the client's global default): these figures describe the whole
 * JVM, and the client's JVM collectors attach a GC listener to the platform MXBeans per registry and never detach it,
 * so each {@link Metrics} (tests build many) shares this one instead of registering its own.
 */
final class RuntimeMetrics implements MultiCollector {
    static final RuntimeMetrics INSTANCE = new RuntimeMetrics();

    private final PrometheusRegistry registry = new PrometheusRegistry();

    private RuntimeMetrics() {
        JvmMetrics.builder().register(registry); // includes ProcessMetrics
    }

    @Override
    public MetricSnapshots collect() {
        return registry.scrape();
    }
}
