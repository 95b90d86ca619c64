package io.twimlagi.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One HTTP/1.1 listen address served by Jetty with {@link HttpLimits}: slow clients hold a connection (at most
 * {@code maxConnections}, each for a bounded time), never a thread, so {@code /health} keeps answering while
 * they wait. Requests go to {@link Routes}.
 */
public final class HttpListener implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final InetSocketAddress bind;
    private final SlowConnectionReaper reaper;

    /**
     * Starts listening at once.
     *
     * @param name names the worker threads and log lines, e.g. {@code http}
     * @throws IOException when the address cannot be bound
     */
    public HttpListener(String name, InetSocketAddress bind, HttpLimits limits, Routes routes) throws IOException {
        this.bind = bind;
        QueuedThreadPool threads = new QueuedThreadPool(limits.threads(), Math.min(4, limits.threads()));
        threads.setName(name);
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(0);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind.getAddress().getHostAddress());
        connector.setPort(bind.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        // at the cap Jetty stops accepting (the kernel queues new clients); the reaper then frees places
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        reaper = new SlowConnectionReaper(name, limits, server.getScheduler());
        connector.addEventListener(reaper);
        server.addBean(reaper);
        server.setErrorHandler(new PlainErrorHandler());
        server.setHandler(new Dispatcher(name, routes, limits));
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (the actual port when {@code bind} asked for port 0). */
    public InetSocketAddress address() {
        return new InetSocketAddress(bind.getAddress(), connector.getLocalPort());
    }

    /** Connections open now (for tests and metrics). */
    public int openConnections() {
        return reaper.openConnections();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing left to do for a listener that failed to stop cleanly
        }
    }
}
