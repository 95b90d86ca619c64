package io.twimlagi.webhook;

import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.SocketFactory;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * Sockets for connections to webhook apps that never wait on a delayed ACK (Nagle's algorithm on one side meeting
 * the other side's delayed ACK, 40 ms on Linux per exchange):
 * <ul>
 *   <li><b>Responses</b>: an app that leaves Nagle on and writes its headers and its body in two writes (Python's
 *       {@code http.server}, Flask's development server, ...) has its body held by its kernel until we ACK the
 *       headers; on a reused keep-alive connection Linux delays that ACK. So before every read we set
 *       {@code TCP_QUICKACK} (Linux only; the kernel clears it again by itself, hence every read): the headers are
 *       ACKed as soon as they are read and the body follows at once.</li>
 *   <li><b>Requests</b>: OkHttp writes a request in 8 KiB pieces; with Nagle on our side the last piece of a larger
 *       request waits for the app's delayed ACK of the one before. {@code TCP_NODELAY} sends each piece at once.</li>
 * </ul>
 * Costs one {@code setsockopt} per read and a few more bare ACKs; connection reuse is unchanged. Over TLS the same
 * holds (the TLS socket reads through this one). Where {@code TCP_QUICKACK} is not available only
 * {@code TCP_NODELAY} is set, and responses of such apps keep their 40 ms. The system property
 * {@value #PLAIN_PROPERTY}{@code =true} turns both off (for before/after measurements, see BENCHMARKS.md). Every
 * socket asks its {@link ConnectCheck} before it connects ({@link OutboundGuard}: where a request may go).
 */
public final class QuickAckSocketFactory extends SocketFactory {
    private static final Logger log = LoggerFactory.getLogger(QuickAckSocketFactory.class);

    static final String PLAIN_PROPERTY = "twiml.webhook.plainSockets";

    /** Whether this JDK and OS let us set TCP_QUICKACK (Linux only). */
    static final boolean QUICKACK_SUPPORTED =
            new Socket().supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);

    /** Asked before every connect, with the address actually connected to (after DNS). */
    @FunctionalInterface
    public interface ConnectCheck {
        ConnectCheck NONE = endpoint -> { };

        void check(SocketAddress endpoint) throws IOException;
    }

    private final ConnectCheck check;
    private final boolean quick;

    QuickAckSocketFactory(ConnectCheck check, boolean quick) {
        this.check = check;
        this.quick = quick;
    }

    QuickAckSocketFactory() {
        this(ConnectCheck.NONE, true);
    }

    /** The webhook client's sockets, checked by {@code check}; plain ones (still checked) with {@value #PLAIN_PROPERTY}. */
    public static QuickAckSocketFactory forWebhooks(ConnectCheck check) {
        if (Boolean.getBoolean(PLAIN_PROPERTY)) {
            log.info("webhook sockets: plain ({}=true): apps that leave Nagle on may add 40 ms per request",
                    PLAIN_PROPERTY);
            return new QuickAckSocketFactory(check, false);
        }
        if (!QUICKACK_SUPPORTED) {
            log.info("webhook sockets: TCP_QUICKACK is not available here; apps that leave Nagle on and write "
                    + "headers and body separately may add 40 ms per request");
        }
        return new QuickAckSocketFactory(check, true);
    }

    /** True unless made plain for a measurement. */
    boolean quick() {
        return quick;
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = new CheckedSocket(check, quick && QUICKACK_SUPPORTED);
        if (quick) socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket socket = createSocket();
        try {
            if (local != null) socket.bind(local);
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A socket whose connect() asks the check first and whose input stream may ask for quick ACKs before reads. */
    static final class CheckedSocket extends Socket {
        private final ConnectCheck check;
        private final boolean quickAck;
        private InputStream in;

        CheckedSocket(ConnectCheck check, boolean quickAck) {
            this.check = check;
            this.quickAck = quickAck;
        }

        /** Sets TCP_QUICKACK before every read. */
        boolean quickAck() {
            return quickAck;
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            check.check(endpoint);
            super.connect(endpoint, timeout);
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (!quickAck) return super.getInputStream();
            if (in == null) in = new QuickAckInput(super.getInputStream(), this);
            return in;
        }
    }

    private static final class QuickAckInput extends FilterInputStream {
        private final Socket socket;

        QuickAckInput(InputStream in, Socket socket) {
            super(in);
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            quickAck();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            quickAck();
            return super.read(b, off, len);
        }

        private void quickAck() {
            try {
                socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            } catch (IOException | RuntimeException e) {
                // a closed or failing socket: the read that follows reports it
            }
        }
    }
}
