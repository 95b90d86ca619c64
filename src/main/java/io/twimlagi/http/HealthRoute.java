package io.twimlagi.http;

import java.util.function.IntSupplier;

/** {@code GET|HEAD /health}: {@code {"status":"ok","activeCalls":N}}, no authentication. */
final class HealthRoute implements Route {
    private final IntSupplier activeCalls;

    HealthRoute(IntSupplier activeCalls) {
        this.activeCalls = activeCalls;
    }

    @Override
    public void handle(Exchange x) {
        if (!x.isGetOrHead()) {
            MethodNotAllowed.send(x);
            return;
        }
        x.sendJson(200, "{\"status\":\"ok\",\"activeCalls\":" + activeCalls.getAsInt() + "}\n");
    }
}
