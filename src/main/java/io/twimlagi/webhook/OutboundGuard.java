package io.twimlagi.webhook;

import okhttp3.OkHttpClient;

import javax.net.SocketFactory;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps every outgoing HTTP request (documents, callbacks, {@code <Play>} downloads) away from the addresses
 * {@link OwnAddresses} refuses. The check sits where the address actually connected to is known: the socket's
 * {@code connect()}, after DNS. So every hop (redirects followed by OkHttp or by {@link WebhookClient}), every
 * retry and every address a name resolves to is checked, and a name that resolves (or is re-bound between two
 * lookups: DNS rebinding) to 127.0.0.1 is refused as well. TLS is layered over these sockets, so https is covered.
 * With an HTTP proxy configured in the JVM, the proxy's address is what is checked.
 */
public final class OutboundGuard {
    private final OwnAddresses refused;

    public OutboundGuard(OwnAddresses refused) {
        this.refused = refused;
    }

    /** Refuses link-local addresses only (no listeners of our own): tests and tools. */
    public static OutboundGuard linkLocalOnly() {
        return new OutboundGuard(OwnAddresses.none());
    }

    /**
     * Makes {@code builder}'s connections go through this guard, on sockets that never wait on a delayed ACK
     * ({@link QuickAckSocketFactory}).
     */
    public OkHttpClient.Builder applyTo(OkHttpClient.Builder builder) {
        return builder.socketFactory(QuickAckSocketFactory.forWebhooks(this::check));
    }

    /**
     * Sockets whose connect() asks this guard first, with no socket options of their own (for clients that set
     * theirs on top: the apps' WebSockets, where a setsockopt per read would be one per 20 ms frame).
     */
    SocketFactory socketFactory() {
        return new QuickAckSocketFactory(this::check, false);
    }

    /** A connection the guard refused. A fetch that ends so is a retrieval failure (Twilio's 11200 for private IPs). */
    public static final class RefusedAddressException extends ConnectException {
        RefusedAddressException(String reason) {
            super("refused: " + reason);
        }
    }

    /** The guard's refusal behind {@code failure} (OkHttp adds other routes' failures as suppressed), if any. */
    public static Optional<RefusedAddressException> refusalIn(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) todo.add(failure);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) continue;
            if (t instanceof RefusedAddressException r) return Optional.of(r);
            if (t.getCause() != null) todo.add(t.getCause());
            Collections.addAll(todo, t.getSuppressed());
        }
        return Optional.empty();
    }

    private void check(SocketAddress endpoint) throws RefusedAddressException {
        if (!(endpoint instanceof InetSocketAddress target)) {
            throw new RefusedAddressException("not an internet address: " + endpoint);
        }
        Optional<String> why = refused.refusal(target);
        if (why.isPresent()) throw new RefusedAddressException(why.get());
    }
}
