package io.twimlagi.agi;

import io.twimlagi.util.LogThrottle;
import org.asteriskjava.fastagi.MappingStrategy;
import org.asteriskjava.fastagi.internal.FastAgiConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The FastAGI accept loop (in place of asterisk-java's DefaultAgiServer, whose loop reads from anyone and waits
 * forever): a peer outside {@link AgiLimits#allow()} is closed on accept, before a byte is read; an admitted
 * connection gets a thread (at most {@code maxThreads}, so one per call) and must deliver Asterisk's whole
 * {@code agi_*} environment within {@link AgiLimits#environment()}, or it is dropped and frees its thread. Only then
 * does asterisk-java's connection handler run the script, over an {@link AgiSocket} whose per-command deadlines
 * {@link TwimlAgiChannel} sets. Refusals and drops are logged at most once per peer per minute.
 */
final class AgiListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgiListener.class);
    private static final long STACK_BYTES = 512 * 1024;
    private static final int BACKLOG = 200;

    private final ServerSocket server;
    private final ThreadPoolExecutor pool;
    private final AgiLimits limits;
    private final MappingStrategy scripts;
    private final LogThrottle refused = new LogThrottle(Duration.ofMinutes(1), 1024);
    private final LogThrottle dropped = new LogThrottle(Duration.ofMinutes(1), 1024);
    private final LogThrottle full = new LogThrottle(Duration.ofMinutes(1), 1);
    private final LogThrottle acceptFailed = new LogThrottle(Duration.ofMinutes(1), 1);

    AgiListener(InetSocketAddress bind, int maxThreads, AgiLimits limits, MappingStrategy scripts) throws IOException {
        this.limits = limits;
        this.scripts = scripts;
        server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(bind, BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(Math.min(16, maxThreads), maxThreads, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(null, r, "agi-" + n.incrementAndGet(), STACK_BYTES);
                    t.setDaemon(true);
                    return t;
                });
        if (!bind.getAddress().isLoopbackAddress()) {
            log.warn("FastAGI listens on {}, not on loopback: whoever connects from agi_allow ({}) can place calls "
                    + "into the server; keep that list to your Asterisk servers and firewall the port", bind,
                    limits.allow());
        }
        Thread accept = new Thread(this::acceptLoop, "agi-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** The bound address (the real port when the config said 0). */
    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) break;
                if (acceptFailed.hit("") > 0) log.warn("FastAGI accept failed: {}", e.getMessage());
                pause(); // e.g. out of file descriptors: do not spin
                continue;
            }
            String peer = socket.getInetAddress().getHostAddress();
            if (!limits.allow().contains(socket.getInetAddress())) {
                closeQuietly(socket);
                long n = refused.hit(peer);
                if (n > 0) {
                    log.warn("FastAGI: refused {} connection(s) from {}: not in agi_allow ({})", n, peer,
                            limits.allow());
                }
                continue;
            }
            try {
                pool.execute(() -> serve(socket, peer));
            } catch (RejectedExecutionException e) {
                closeQuietly(socket); // Asterisk's dialplan answers that call 503
                long n = full.hit("");
                if (n > 0) log.warn("FastAGI: {} connection(s) refused: agi_max_calls ({}) reached", n,
                        pool.getMaximumPoolSize());
            }
        }
    }

    private void serve(Socket socket, String peer) {
        AgiSocket agi;
        try {
            agi = new AgiSocket(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            return;
        }
        agi.deadline(limits.environment());
        if (!agi.readEnvironment()) {
            agi.closeQuietly();
            long n = dropped.hit(peer);
            if (n > 0) {
                log.warn("FastAGI: dropped {} connection(s) from {}: no complete AGI environment within {} ms", n,
                        peer, limits.environment().toMillis());
            }
            return;
        }
        agi.noDeadline(); // a call lasts as long as it lasts; bounded commands set their own deadline
        new FastAgiConnectionHandler(scripts, agi,
                (request, writer, reader) -> new TwimlAgiChannel(request, writer, reader, agi, limits.reply()))
                .run(); // closes the socket when the script returns
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops accepting; calls in progress go on until they end. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        pool.shutdown();
    }
}
