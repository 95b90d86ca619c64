package io.twimlagi.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client may hold of an {@link HttpListener}, so that slow or idle clients cannot stall the others.
 *
 * @param readTimeout       a request's line, headers and body must arrive within this, counted from its first byte
 * @param idleTimeout       a connection with no byte in or out for this long is closed (between requests too)
 * @param writeTimeout      a response must be written within this, plus one second per {@code minWriteRate}
 *                          bytes of body (recordings); counted from the response's start, not the work before it
 * @param minWriteRate      bytes per second a large response may not fall below on average (see writeTimeout)
 * @param maxConnections    open connections; at this the listener stops accepting (the kernel queues the rest)
 * @param busyIdleTimeout   while {@code maxConnections} are open, a connection waiting this long for a request
 *                          (idle, or its headers still arriving) is closed to make room
 * @param maxBodyBytes      request bodies above this get 413
 * @param threads           worker threads (handlers may block, e.g. MP3 encoding; slow clients hold none)
 */
public record HttpLimits(Duration readTimeout, Duration idleTimeout, Duration writeTimeout, long minWriteRate,
                         int maxConnections, Duration busyIdleTimeout, int maxBodyBytes, int threads) {
    /** The limits of {@code http_bind} and {@code realtime_bind}. */
    public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(30), 16 * 1024, 1000, Duration.ofSeconds(1), 256 * 1024, 32);

    public HttpLimits {
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(busyIdleTimeout, "busyIdleTimeout");
        if (readTimeout.isNegative() || readTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()
                || writeTimeout.isNegative() || writeTimeout.isZero() || busyIdleTimeout.isNegative()
                || busyIdleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (minWriteRate < 1 || maxConnections < 1 || maxBodyBytes < 0 || threads < 4) {
            throw new IllegalArgumentException("bad HTTP limits");
        }
    }

    /** How long a response of {@code bodyBytes} may take to write. */
    Duration writeDeadline(long bodyBytes) {
        return writeTimeout.plusSeconds(Math.max(0, bodyBytes) / minWriteRate);
    }
}
