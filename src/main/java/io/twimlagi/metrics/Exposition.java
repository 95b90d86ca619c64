package io.twimlagi.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One {@code /metrics} answer: the text and its Content-Type. OpenMetrics 1.0 when the scraper's {@code Accept}
 * asks for it (Prometheus does), else Prometheus' text format 0.0.4; no {@code _created} series in either.
 */
public record Exposition(String contentType, String text) {
    private static final ExpositionFormatWriter PROMETHEUS = PrometheusTextFormatWriter.create();
    private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

    /** Our names are all valid legacy names: no escaping to negotiate. */
    private static final EscapingScheme ESCAPING = EscapingScheme.UNDERSCORE_ESCAPING;

    static Exposition write(MetricSnapshots snapshots, String accept) {
        ExpositionFormatWriter writer = OPEN_METRICS.accepts(accept) ? OPEN_METRICS : PROMETHEUS;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, snapshots, ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return new Exposition(writer.getContentType(), out.toString(StandardCharsets.UTF_8));
    }
}
