package io.twimlagi.http;

import io.twimlagi.metrics.Exposition;
import io.twimlagi.metrics.Metrics;

/** {@code GET|HEAD /metrics}: Prometheus text, or OpenMetrics when the scraper's {@code Accept} asks for it. */
final class MetricsRoute implements Route {
    private final Metrics metrics;

    MetricsRoute(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(Exchange x) {
        if (!x.isGetOrHead()) {
            MethodNotAllowed.send(x);
            return;
        }
        Exposition e = metrics.expose(x.header("Accept"));
        x.send(200, e.contentType(), e.text());
    }
}
