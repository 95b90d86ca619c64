package io.twimlagi.ami;

import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.PingAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps one AMI login up, on its own thread: logs in, watches the session (asterisk-java's DisconnectEvent, and a
 * Ping when it has been quiet), and after a failure or a lost session logs in again with a backoff doubling up to
 * {@link AmiTiming#maxBackoff()}, for ever, until closed. Never blocks the server's start.
 *
 * <p>Why not asterisk-java's own reconnection: {@code ManagerConnectionImpl} only reconnects a session that had
 * logged in (a server started before Asterisk would never connect), retries every 5 s after its first ~10 quick
 * attempts, and holds the connection's lock while it does. So every session end goes through {@code logoff()},
 * which stops that thread, and this loop is the only way back in: the same path at start, after a restart of
 * Asterisk, after a refused login.
 *
 * <p>Logs one line per state change: connecting, connected, lost, and each new reason it cannot connect.
 */
final class AmiConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiConnector.class);
    /** Only call-class events: Hangup, HangupRequest and OriginateResponse are all "call". */
    private static final String EVENTS = "call";

    private final Supplier<ManagerConnection> factory;
    /** Made by the connector's thread when it starts; null before. One for the client's life. */
    private volatile ManagerConnection connection;
    private final String where;
    private final AmiTiming timing;
    private final Thread thread;
    private final Object signal = new Object();
    private boolean lost; // guarded by signal
    private volatile boolean closed;
    private volatile String problem = "not connected yet";

    AmiConnector(Supplier<ManagerConnection> factory, String where, AmiTiming timing) {
        this.factory = factory;
        this.where = where;
        this.timing = timing;
        this.thread = new Thread(this::run, "ami-connect");
        thread.setDaemon(true);
    }

    void start() {
        log.info("AMI: connecting to {}", where);
        thread.start();
    }

    boolean isConnected() {
        ManagerConnection c = connection;
        return !closed && c != null && c.getState() == ManagerConnectionState.CONNECTED;
    }

    /** The connection; only use it after {@link #isConnected()} said true. */
    ManagerConnection connection() {
        return connection;
    }

    /** The failure of an action tried while not connected, saying why it is not. */
    AmiException notConnected(String what) {
        return new AmiException(AmiException.Reason.NOT_CONNECTED, what + ": AMI is not connected ("
                + (closed ? "client closed" : problem) + ")");
    }

    /** asterisk-java saw the session's socket close (called on its event thread). */
    void connectionLost() {
        synchronized (signal) {
            lost = true;
            signal.notifyAll();
        }
    }

    private void run() {
        try {
            connection = factory.get();
        } catch (RuntimeException e) {
            log.error("AMI cannot start asterisk-java's manager connection: {}", e.toString(), e);
            problem = "AMI client broken (" + e + ")";
            return;
        }
        long backoffMs = timing.minBackoff().toMillis();
        String logged = null; // the last reason logged for not connecting
        try {
            while (!closed) {
                synchronized (signal) {
                    lost = false;
                }
                String failure = null;
                try {
                    connection.login(EVENTS);
                    log.info("AMI connected to {} ({})", where, connection.getProtocolIdentifier());
                    problem = null;
                    logged = null;
                    backoffMs = timing.minBackoff().toMillis();
                    String end = watch();
                    if (end == null) break; // closed
                    log.warn("AMI connection to {} lost: {}; reconnecting", where, end);
                    problem = "connection lost (" + end + ")";
                } catch (AuthenticationFailedException e) {
                    failure = "login refused (" + e.getMessage() + "): check ami_username and ami_secret against "
                            + "manager.conf, and its permit lines";
                } catch (IOException e) {
                    failure = e instanceof ConnectException ? e.getMessage() : e.toString();
                } catch (TimeoutException e) {
                    failure = "no answer from the manager (" + e.getMessage() + ")";
                } catch (RuntimeException e) { // IllegalStateException from asterisk-java, or its bugs
                    failure = e.getMessage() != null ? e.getMessage() : e.toString();
                } finally {
                    endSession();
                }
                if (closed) break;
                if (failure != null) {
                    problem = failure; // before the log line: whoever saw the line sees the reason too
                    if (!failure.equals(logged)) log.warn("AMI cannot connect to {}: {}; retrying", where, failure);
                    logged = failure;
                }
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, timing.maxBackoff().toMillis());
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Waits until the session ends: why it ended, or null when the client is closed. */
    private String watch() throws InterruptedException {
        while (true) {
            synchronized (signal) {
                long deadline = System.nanoTime() + timing.pingInterval().toNanos();
                long left;
                while (!closed && !lost && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                }
                if (closed) return null;
                if (lost) return "Asterisk closed the connection";
            }
            String pingFailure = ping();
            if (pingFailure != null) return pingFailure;
        }
    }

    /** Any answer, even an error, shows Asterisk's manager is alive. */
    private String ping() {
        try {
            connection.sendAction(new PingAction(), timing.actionTimeout().toMillis());
            return null;
        } catch (TimeoutException e) {
            return "no answer to Ping within " + timing.actionTimeout().toMillis() + " ms";
        } catch (IOException | RuntimeException e) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }

    /** Ends the session, if any, and with it asterisk-java's own reconnection thread. */
    private void endSession() {
        ManagerConnection c = connection;
        if (c == null) return;
        ManagerConnectionState state = c.getState();
        if (state == ManagerConnectionState.CONNECTED || state == ManagerConnectionState.RECONNECTING) {
            try {
                c.logoff();
            } catch (RuntimeException e) {
                log.debug("AMI logoff: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        thread.interrupt();
        try {
            thread.join(timing.actionTimeout().toMillis() * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endSession();
        log.info("AMI connection to {} closed", where);
    }
}
