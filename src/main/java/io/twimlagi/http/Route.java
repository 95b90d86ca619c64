package io.twimlagi.http;

import java.io.IOException;

/**
 * Answers the requests of one path pattern (see {@link Routes}). Runs on a worker thread with the whole request
 * body already read; must answer through one of {@link Exchange}'s {@code send} methods before it returns.
 * Throwing answers 500 (if nothing was sent yet).
 */
@FunctionalInterface
public interface Route {
    void handle(Exchange exchange) throws IOException;
}
