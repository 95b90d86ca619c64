package io.twimlagi.agi;

import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.SimpleMappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * asterisk-java's FastAGI server, configured for telephony: bound where the config says, one thread per call up
 * to {@code agi_max_calls} (small stacks, so thousands fit), no socket read timeout (a call can last hours),
 * its scripts by name (no class loading by URL), and no trailing command after the call.
 */
public final class FastAgiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FastAgiServer.class);
    private static final long STACK_BYTES = 512 * 1024;

    private final DefaultAgiServer server;
    private final Thread acceptThread;
    private final CountDownLatch listening = new CountDownLatch(1);

    /** @param scripts the AGI scripts by name ({@link AgiScripts#of}); other names are refused */
    public FastAgiServer(InetSocketAddress bind, int maxCalls, Map<String, AgiScript> scripts) throws IOException {
        server = new DefaultAgiServer((request, writer, reader) -> new TwimlAgiChannel(request, writer, reader)) {
            @Override
            protected ServerSocketFacade createServerSocket() throws IOException {
                ServerSocketFacade socket = super.createServerSocket();
                listening.countDown();
                return socket;
            }

            @Override
            protected ThreadPoolExecutor createPool() {
                AtomicInteger n = new AtomicInteger();
                return new ThreadPoolExecutor(Math.min(16, maxCalls), maxCalls, 60, TimeUnit.SECONDS,
                        new SynchronousQueue<>(), r -> {
                            Thread t = new Thread(null, r, "agi-" + n.incrementAndGet(), STACK_BYTES);
                            t.setDaemon(true);
                            return t;
                        });
            }
        };
        SimpleMappingStrategy mapping = new SimpleMappingStrategy();
        mapping.setMappings(scripts);
        server.setMappingStrategy(mapping);
        server.setAddress(bind.getAddress());
        server.setPort(bind.getPort());
        server.setSocketReadTimeout(-1);
        server.setMaximumPoolSize(maxCalls);
        // startup() binds, then blocks in the accept loop: run it on its own thread and wait until it listens
        AtomicReference<Exception> failure = new AtomicReference<>();
        acceptThread = new Thread(() -> {
            try {
                server.startup();
            } catch (IOException | IllegalStateException e) {
                failure.set(e);
                listening.countDown();
            }
        }, "agi-accept");
        acceptThread.setDaemon(true);
        acceptThread.start();
        try {
            if (!listening.await(10, TimeUnit.SECONDS)) throw new IOException("FastAGI server did not start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting");
        }
        if (failure.get() != null) {
            throw new IOException("cannot listen on " + bind + ": " + failure.get().getMessage(), failure.get());
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IllegalStateException ignored) {
            // not running
        }
    }
}
