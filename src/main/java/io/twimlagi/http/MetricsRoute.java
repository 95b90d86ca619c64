package io.twimlagi.http;

import io.twimlagi.metrics.Metrics;

/** {@code GET|HEAD /metrics}: Prometheus text format. */
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
        x.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
    }
}
