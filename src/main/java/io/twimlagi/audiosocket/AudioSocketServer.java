package io.twimlagi.audiosocket;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.AudioLinks;
import io.twimlagi.call.AudioSink;
import io.twimlagi.util.AddressList;
import io.twimlagi.util.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listener Asterisk's AudioSocket connections come to ({@code audiosocket_bind}): {@code AudioSocket()} on a
 * call's channel for {@code <Connect><Stream>}, an {@code AudioSocket/} channel running ChanSpy for
 * {@code <Start><Stream>}. One thread reads every connection (non-blocking, one selector) and hands each frame to
 * its link's sink. A connection must present the UUID of a link opened here within 2 s, once: any other is closed;
 * so is a peer outside {@code allow} (Asterisk's addresses, agi_allow), before a byte is read.
 */
public final class AudioSocketServer implements AudioLinks, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudioSocketServer.class);
    private static final long UUID_DEADLINE_NANOS = Duration.ofSeconds(2).toNanos();
    /** How often connections that have not named their link are looked for (each 20 ms frame wakes the loop). */
    private static final long SWEEP_MILLIS = 250;
    /**
     * How long a link hung up before Asterisk connected is still known: Asterisk may be connecting right then
     * (a live update as AudioSocket() starts); it is then told to hang up instead of being refused as a stranger.
     */
    private static final long HUNG_UP_GRACE_NANOS = Duration.ofSeconds(10).toNanos();

    private final AddressList allow;
    /** Links opened and not connected yet, by the UUID Asterisk will present. */
    private final Map<UUID, AudioSocketLink> waiting = new ConcurrentHashMap<>();
    /** Every link not ended yet (waiting or connected). */
    private final Set<AudioSocketLink> links = ConcurrentHashMap.newKeySet();
    private final LogThrottle refused = new LogThrottle(Duration.ofMinutes(1), 256);
    private final LogThrottle acceptFailures = new LogThrottle(Duration.ofMinutes(1), 1);
    private final LogThrottle unknown = new LogThrottle(Duration.ofMinutes(1), 1);
    private volatile Selector selector;
    private ServerSocketChannel server;
    private Thread thread;
    private volatile String address;

    /** @param allow the peers that may connect (Asterisk's addresses) */
    public AudioSocketServer(AddressList allow) {
        this.allow = allow;
    }

    /** Binds {@code bind} and starts reading; Asterisk is told to connect to this address (127.0.0.1 for 0.0.0.0). */
    public synchronized void listen(InetSocketAddress bind) throws IOException {
        if (server != null) throw new IllegalStateException("already listening");
        Selector s = Selector.open();
        ServerSocketChannel c = ServerSocketChannel.open();
        try {
            c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            c.bind(bind, 200);
            c.configureBlocking(false);
            c.register(s, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            c.close();
            s.close();
            throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
        address = forAsterisk(local);
        server = c;
        selector = s;
        thread = new Thread(this::loop, "audiosocket-io");
        thread.setDaemon(true);
        thread.start();
        if (!local.getAddress().isLoopbackAddress()) {
            log.warn("AudioSocket listener on {} is not on loopback: keep it behind a firewall (audio of calls)",
                    local);
        }
    }

    /** How Asterisk reaches the listener ({@code host:port}), null before {@link #listen}. */
    public String address() {
        return address;
    }

    static String forAsterisk(InetSocketAddress local) {
        InetAddress a = local.getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1"
                : a instanceof Inet6Address ? "[" + a.getHostAddress().replaceAll("%.*", "") + "]" : a.getHostAddress();
        return host + ":" + local.getPort();
    }

    @Override
    public AudioLink open(AudioSink sink) {
        String at = address;
        if (at == null) throw new IllegalStateException("the AudioSocket listener is not running");
        UUID id = UUID.randomUUID();
        AudioSocketLink link = new AudioSocketLink(id, at, sink, l -> {
            if (l.hungUpUnconnected() == 0) waiting.remove(l.uuid(), l); // else kept a while: see identify()
            links.remove(l);
        });
        links.add(link);
        waiting.put(id, link);
        return link;
    }

    /** Links not ended yet (tests). */
    int links() {
        return links.size();
    }

    private void loop() {
        Selector s = selector;
        long lastSweep = System.nanoTime();
        try {
            while (s.isOpen()) {
                s.select(SWEEP_MILLIS);
                for (SelectionKey key : s.selectedKeys()) {
                    if (!key.isValid()) continue;
                    if (key.isAcceptable()) acceptSafely();
                    else if (key.isReadable()) readSafely(key);
                }
                s.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - lastSweep >= SWEEP_MILLIS * 1_000_000L) { // not per frame: it walks every connection
                    lastSweep = now;
                    dropSilent(s);
                }
            }
        } catch (ClosedSelectorException e) {
            // closed
        } catch (IOException | RuntimeException e) {
            log.error("AudioSocket listener stopped: {}", e.toString(), e);
        }
    }

    /** One failed accept (no descriptors left, a connection reset while queued) must not stop the listener. */
    private void acceptSafely() {
        try {
            accept();
        } catch (IOException | RuntimeException e) {
            long n = acceptFailures.hit("accept");
            if (n > 0) log.error("AudioSocket listener: accept failed ({} time(s)): {}", n, e.toString());
            try {
                Thread.sleep(100); // e.g. out of descriptors: do not spin on a listener that stays ready
            } catch (InterruptedException ignored) {
                // the listener stops by its selector being closed, not by interrupts (select() would spin)
            }
        }
    }

    /** A failure while handling one connection ends that connection, never the listener. */
    private void readSafely(SelectionKey key) {
        try {
            read(key);
        } catch (RuntimeException e) {
            log.error("AudioSocket connection ended: {}", e.toString(), e);
            Connection conn = (Connection) key.attachment();
            try {
                end(key, conn);
            } catch (RuntimeException again) {
                key.cancel();
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            InetSocketAddress peer = (InetSocketAddress) c.getRemoteAddress();
            if (!allow.contains(peer.getAddress())) {
                long n = refused.hit(peer.getAddress().getHostAddress());
                if (n > 0) log.warn("AudioSocket connection from {} refused: not in agi_allow ({} time(s))", peer, n);
                c.close();
                continue;
            }
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.register(selector, SelectionKey.OP_READ, new Connection(c));
        }
    }

    private void read(SelectionKey key) {
        Connection conn = (Connection) key.attachment();
        try {
            int n = conn.channel.read(conn.in);
            if (n < 0) {
                end(key, conn);
                return;
            }
            conn.in.flip();
            boolean open = frames(conn);
            conn.in.compact();
            if (!open) end(key, conn);
        } catch (IOException e) {
            end(key, conn);
        }
    }

    /** Handles every complete message in the buffer; false when the connection must end. */
    private boolean frames(Connection conn) {
        ByteBuffer in = conn.in;
        while (in.remaining() >= 3) {
            int start = in.position();
            byte kind = in.get(start);
            int length = ((in.get(start + 1) & 0xFF) << 8) | (in.get(start + 2) & 0xFF);
            if (length > AudioSocketFrames.MAX_PAYLOAD) {
                log.warn("AudioSocket message of {} bytes refused: closing that connection", length);
                return false;
            }
            if (in.remaining() < 3 + length) return true;
            int payload = start + 3;
            in.position(payload + length);
            if (conn.link == null) {
                if (!identify(conn, kind, in, payload, length)) return false;
                continue;
            }
            AudioSink sink = conn.link.sink();
            switch (kind) {
                case AudioSocketFrames.AUDIO -> sink.audio(in.array(), in.arrayOffset() + payload, length);
                case AudioSocketFrames.DTMF -> {
                    if (length >= 1) sink.dtmf((char) (in.get(payload) & 0xFF));
                }
                case AudioSocketFrames.HANGUP -> {
                    return false;
                }
                case AudioSocketFrames.ERROR -> {
                    log.warn("AudioSocket {}: Asterisk reported error {}", conn.link.id(),
                            length >= 1 ? in.get(payload) & 0xFF : -1);
                    return false;
                }
                default -> { } // other rates or kinds: never asked for
            }
        }
        return true;
    }

    /** The first message must be a UUID of a waiting link; binds the connection to it. */
    private boolean identify(Connection conn, byte kind, ByteBuffer in, int payload, int length) {
        if (kind != AudioSocketFrames.UUID || length != 16) return false;
        UUID id = new UUID(in.getLong(payload), in.getLong(payload + 8));
        AudioSocketLink link = waiting.remove(id);
        if (link == null) {
            long n = unknown.hit("unknown");
            if (n > 0) log.warn("AudioSocket connection with an unknown or used id closed ({} time(s))", n);
            return false;
        }
        if (!link.attach(conn.channel)) return false; // hung up meanwhile: attach told Asterisk
        conn.link = link;
        link.sink().connected();
        return true;
    }

    private void end(SelectionKey key, Connection conn) {
        key.cancel();
        if (conn.link != null) {
            conn.link.remoteEnded();
        } else {
            try {
                conn.channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** Closes connections that have not named their link in time; forgets links hung up unconnected long ago. */
    private void dropSilent(Selector s) {
        long now = System.nanoTime();
        waiting.values().removeIf(l -> l.hungUpUnconnected() != 0
                && now - l.hungUpUnconnected() > HUNG_UP_GRACE_NANOS);
        List<SelectionKey> late = new ArrayList<>();
        for (SelectionKey k : s.keys()) {
            if (k.attachment() instanceof Connection c && c.link == null && now - c.since > UUID_DEADLINE_NANOS) {
                late.add(k);
            }
        }
        for (SelectionKey k : late) end(k, (Connection) k.attachment());
    }

    @Override
    public void close() {
        Selector s;
        synchronized (this) {
            s = selector;
            address = null;
        }
        for (AudioSocketLink l : List.copyOf(links)) l.hangUp();
        if (s == null) return;
        try {
            s.close();
            server.close();
        } catch (IOException | ClosedSelectorException e) {
            // closing anyway
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One accepted connection and what it read so far. */
    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(3 + AudioSocketFrames.MAX_PAYLOAD);
        final long since = System.nanoTime();
        AudioSocketLink link;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }
}
