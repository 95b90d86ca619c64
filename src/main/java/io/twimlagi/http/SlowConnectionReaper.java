package io.twimlagi.http;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes the connections that hold a place without using it, checking every open connection a few times per
 * timeout:
 * <ul>
 *   <li>a request whose line and headers have not all arrived within {@link HttpLimits#readTimeout} of its first
 *       byte (Jetty's idle timeout alone lets a client that sends one byte now and then keep a connection for
 *       hours; bodies are bounded by {@link Dispatcher});</li>
 *   <li>while {@link HttpLimits#maxConnections} are open, any connection waiting for a request (idle, or its
 *       headers still arriving) for more than {@link HttpLimits#busyIdleTimeout}, so that new clients get in.</li>
 * </ul>
 * Relies on Jetty's HTTP/1.1 connection class ({@code server.internal}), checked by SlowClientsTest on upgrades.
 */
final class SlowConnectionReaper extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(SlowConnectionReaper.class);

    private final String name;
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private final long readNanos;
    private final long busyIdleNanos;
    private final int maxConnections;
    private final long periodNanos;
    private final Scheduler scheduler;
    private volatile Scheduler.Task next;
    /** Whether the last sweep found the listener at its cap (logged when that changes). */
    private boolean wasBusy;

    SlowConnectionReaper(String name, HttpLimits limits, Scheduler scheduler) {
        this.name = name;
        this.readNanos = limits.readTimeout().toNanos();
        this.busyIdleNanos = limits.busyIdleTimeout().toNanos();
        this.maxConnections = limits.maxConnections();
        this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50),
                Math.min(TimeUnit.SECONDS.toNanos(1), Math.min(readNanos / 4, busyIdleNanos / 2)));
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) open.add(http);
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) open.remove(http);
    }

    /** How many connections are open now. */
    int openConnections() {
        return open.size();
    }

    @Override
    protected void doStart() {
        next = scheduler.schedule(this::sweep, periodNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void doStop() {
        Scheduler.Task t = next;
        if (t != null) t.cancel();
        open.clear();
    }

    private void sweep() {
        if (!isRunning()) return;
        long now = NanoTime.now();
        boolean busy = open.size() >= maxConnections;
        if (busy != wasBusy) {
            wasBusy = busy;
            if (busy) {
                log.warn("{}: {} connections open, the cap: new clients wait; closing connections idle for over {} ms",
                        name, open.size(), TimeUnit.NANOSECONDS.toMillis(busyIdleNanos));
            } else {
                log.info("{}: below the connection cap again", name);
            }
        }
        for (HttpConnection c : open) {
            HttpParser p = c.getParser();
            long waiting;
            if (p.isStart()) {
                // between requests: the idle timeout's business unless places are short
                waiting = c.getEndPoint() instanceof IdleTimeout t ? TimeUnit.MILLISECONDS.toNanos(t.getIdleFor()) : 0;
                if (busy && waiting > busyIdleNanos) c.getEndPoint().close();
            } else if (p.inHeaderState()) {
                waiting = NanoTime.elapsed(p.getBeginNanoTime(), now);
                if (waiting > readNanos || (busy && waiting > busyIdleNanos)) c.getEndPoint().close();
            }
        }
        next = scheduler.schedule(this::sweep, periodNanos, TimeUnit.NANOSECONDS);
    }
}
