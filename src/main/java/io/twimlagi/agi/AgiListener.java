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
 * connection is served by the pool thread that accepted it (at most {@code maxThreads} at once, so one per call;
 * see {@link #lead()}) and must deliver Asterisk's whole
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
    /** Calls being served (at most {@link #maxCalls}); the leader waiting in accept() is not one. */
    private final AtomicInteger serving = new AtomicInteger();
    private final int maxCalls;

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
        // maxThreads calls and the one thread waiting in accept(); calls are bounded by `serving`, the pool's
        // margin is for threads that ended their call and are not back in the pool yet
        pool = new ThreadPoolExecutor(Math.min(16, maxThreads + 1), maxThreads + 16, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(null, r, "agi-" + n.incrementAndGet(), STACK_BYTES);
                    t.setDaemon(true);
                    return t;
                });
        this.maxCalls = maxThreads;
        if (!bind.getAddress().isLoopbackAddress()) {
            log.warn("FastAGI listens on {}, not on loopback: whoever connects from agi_allow ({}) can place calls "
                    + "into the server; keep that list to your Asterisk servers and firewall the port", bind,
                    limits.allow());
        }
        pool.execute(this::lead);
    }

    /** The bound address (the real port when the config said 0). */
    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /**
     * Leader/follower: the pool thread that accepts a connection serves it itself and first hands the accept to
     * another pool thread, so the call's first bytes are read without waking a second thread (one thread hand-off
     * fewer before the caller hears anything). The leader's own thread keeps accepting when a connection is
     * refused, or when no other thread can take over.
     */
    private void lead() {
        while (!server.isClosed()) {
            Socket socket = acceptAdmitted();
            if (socket == null) return; // closed
            if (serving.incrementAndGet() > maxCalls) {
                serving.decrementAndGet();
                closeQuietly(socket); // Asterisk's dialplan answers that call 503
                long k = full.hit("");
                if (k > 0) log.warn("FastAGI: {} connection(s) refused: agi_max_calls ({}) reached", k, maxCalls);
                continue;
            }
            try {
                pool.execute(this::lead);
            } catch (RejectedExecutionException | OutOfMemoryError e) {
                // shut down, or no thread to be had (pool full, no native thread): this one goes on leading, so
                // later calls still get an answer (503 from the dialplan) instead of waiting in the backlog
                serving.decrementAndGet();
                closeQuietly(socket);
                if (pool.isShutdown()) return;
                if (e instanceof OutOfMemoryError) {
                    log.error("FastAGI: no thread for the next accept ({}); call refused", e.toString());
                }
                continue;
            }
            try {
                serve(socket, socket.getInetAddress().getHostAddress());
            } finally {
                serving.decrementAndGet();
            }
            return; // back to the pool, a follower
        }
    }

    /** The next connection from a peer in {@code agi_allow} (others are closed at once); null once closed. */
    private Socket acceptAdmitted() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) return null;
                if (acceptFailed.hit("") > 0) log.warn("FastAGI accept failed: {}", e.getMessage());
                pause(); // e.g. out of file descriptors: do not spin
                continue;
            }
            if (limits.allow().contains(socket.getInetAddress())) return socket;
            closeQuietly(socket);
            String peer = socket.getInetAddress().getHostAddress();
            long n = refused.hit(peer);
            if (n > 0) log.warn("FastAGI: refused {} connection(s) from {}: not in agi_allow ({})", n, peer,
                    limits.allow());
        }
        return null;
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
