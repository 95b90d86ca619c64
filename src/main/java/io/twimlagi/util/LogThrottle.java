package io.twimlagi.util;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts repeated events (a refused peer, a dropped packet) so that each key is logged at most once per period:
 * {@link #hit} returns how many events of that key to report now (the first one, then what accumulated since), or 0
 * while the key is quiet. Bounded: at most {@code maxKeys} keys are tracked; past that, keys not logged within the
 * period are forgotten (a flood of distinct keys still logs at most {@code maxKeys} lines per period).
 */
public final class LogThrottle {
    private final long periodNanos;
    private final int maxKeys;
    private final Map<String, long[]> keys = new HashMap<>(); // key -> {last logged nanoTime, events since}

    public LogThrottle(Duration period, int maxKeys) {
        this.periodNanos = period.toNanos();
        this.maxKeys = maxKeys;
    }

    /** Counts one event of {@code key}; returns the number to log now (≥ 1), or 0 when it is not time yet. */
    public synchronized long hit(String key) {
        long now = System.nanoTime();
        long[] k = keys.get(key);
        if (k == null) {
            if (keys.size() >= maxKeys) {
                keys.values().removeIf(v -> now - v[0] >= periodNanos);
                if (keys.size() >= maxKeys) return 0;
            }
            keys.put(key, new long[] {now, 0});
            return 1;
        }
        k[1]++;
        if (now - k[0] < periodNanos) return 0;
        long n = k[1];
        k[0] = now;
        k[1] = 0;
        return n;
    }
}
