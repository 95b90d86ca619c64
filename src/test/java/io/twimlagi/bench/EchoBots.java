package io.twimlagi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Queue;

/**
 * Media Streams apps for a load test: a minimal WebSocket server (RFC 6455: the upgrade, masked text frames in,
 * unmasked out, close and ping) on one thread and one selector for every connection, so that a hundred bots cost
 * one thread instead of OkHttp's MockWebServer's two per connection. Each text message goes to the {@link Bot}
 * with the connection's buffer (no copy, no String); a bot answers with {@link Conn#send}, written at once when the
 * socket takes it (queued and finished by the selector otherwise).
 */
final class EchoBots implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** What a bot does with a message: {@code text[from, to)} is the message (ASCII JSON), valid during the call. */
    interface Bot {
        void message(Conn c, byte[] text, int from, int to);
    }

    private final Bot bot;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile boolean closed;

    EchoBots(Bot bot) {
        this.bot = bot;
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, "echo-bots");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code ws://127.0.0.1:port} + path. */
    String url(String path) {
        return "ws://127.0.0.1:" + server.socket().getLocalPort() + path;
    }

    /** One app connection. */
    final class Conn {
        final SocketChannel channel;
        private ByteBuffer in = ByteBuffer.allocate(16384);
        /** The frame being built (header reserved) and written. */
        private final ByteBuffer out = ByteBuffer.allocateDirect(65536);
        private final Queue<ByteBuffer> queued = new ArrayDeque<>();
        private boolean upgraded;
        private SelectionKey key;
        /** The path of the upgrade request. */
        volatile String path;
        /** Set by the bot: its own state for this connection. */
        volatile Object state;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }

        /** Sends one text frame of {@code parts} (ASCII) concatenated. */
        synchronized void send(CharSequence... parts) {
            int length = 0;
            for (CharSequence p : parts) length += p.length();
            ByteBuffer b = length + 10 <= out.capacity() && queued.isEmpty() ? out : ByteBuffer.allocate(length + 10);
            b.clear();
            b.put((byte) 0x81);
            if (length < 126) {
                b.put((byte) length);
            } else if (length < 65536) {
                b.put((byte) 126).putShort((short) length);
            } else {
                b.put((byte) 127).putLong(length);
            }
            for (CharSequence p : parts) {
                for (int i = 0; i < p.length(); i++) b.put((byte) p.charAt(i));
            }
            b.flip();
            write(b);
        }

        /** Sends a frame whose payload is {@code prefix + text[from, to) + suffix} (the bots' echo: no String). */
        synchronized void sendAround(byte[] prefix, byte[] text, int from, int to, byte[] suffix) {
            int length = prefix.length + (to - from) + suffix.length;
            ByteBuffer b = length + 10 <= out.capacity() && queued.isEmpty() ? out : ByteBuffer.allocate(length + 10);
            b.clear();
            b.put((byte) 0x81);
            if (length < 126) b.put((byte) length);
            else b.put((byte) 126).putShort((short) length);
            b.put(prefix).put(text, from, to - from).put(suffix).flip();
            write(b);
        }

        /** Closes as an app that is done (1000). */
        synchronized void close() {
            write(ByteBuffer.wrap(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8}));
        }

        private void write(ByteBuffer b) {
            try {
                if (queued.isEmpty()) {
                    channel.write(b);
                    if (!b.hasRemaining()) return;
                }
                ByteBuffer copy = ByteBuffer.allocate(b.remaining()).put(b).flip(); // b may be the reused buffer
                queued.add(copy);
                if (key != null) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    selector.wakeup();
                }
            } catch (IOException e) {
                end();
            }
        }

        private synchronized void flush() throws IOException {
            ByteBuffer b;
            while ((b = queued.peek()) != null) {
                channel.write(b);
                if (b.hasRemaining()) return;
                queued.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        private void end() {
            if (key != null) key.cancel();
            try {
                channel.close();
            } catch (IOException e) {
                // closing
            }
        }

        /** Reads what came; handles the upgrade and each whole frame. */
        private void read() throws IOException {
            if (!in.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            if (channel.read(in) < 0) {
                end();
                return;
            }
            in.flip();
            if (!upgraded && !upgrade()) {
                in.compact();
                return;
            }
            while (frame()) {
                // one frame handled
            }
            in.compact();
        }

        private boolean upgrade() {
            byte[] a = in.array();
            int end = -1;
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    end = i + 4;
                    break;
                }
            }
            if (end < 0) return false;
            String head = new String(a, in.position(), end - in.position(), StandardCharsets.ISO_8859_1);
            in.position(end);
            path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            String wsKey = "";
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) wsKey = line.substring(18).trim();
            }
            String accept;
            try {
                accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((wsKey + GUID).getBytes(StandardCharsets.ISO_8859_1)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            synchronized (this) {
                write(ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade"
                        + "\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
            }
            upgraded = true;
            return true;
        }

        /** One whole frame from {@code in} (unmasked in place), or false when it has not all arrived. */
        private boolean frame() {
            int p = in.position();
            if (in.remaining() < 2) return false;
            byte[] a = in.array();
            int opcode = a[p] & 0x0F;
            boolean masked = (a[p + 1] & 0x80) != 0;
            long length = a[p + 1] & 0x7F;
            int h = 2;
            if (length == 126) {
                if (in.remaining() < 4) return false;
                length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                h = 4;
            } else if (length == 127) {
                if (in.remaining() < 10) return false;
                length = in.getLong(p + 2);
                h = 10;
            }
            int maskAt = p + h;
            if (masked) h += 4;
            if (in.remaining() < h + length) {
                if (h + length > in.capacity()) { // grow for a large message
                    ByteBuffer bigger = ByteBuffer.allocate((int) (h + length) + 1024);
                    bigger.put(in);
                    bigger.flip();
                    in = bigger;
                }
                return false;
            }
            int from = p + h;
            int to = from + (int) length;
            if (masked) {
                for (int i = from; i < to; i++) a[i] ^= a[maskAt + ((i - from) & 3)];
            }
            in.position(to);
            switch (opcode) {
                case 1 -> bot.message(this, a, from, to);
                case 8 -> {
                    synchronized (this) {
                        write(ByteBuffer.wrap(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8}));
                    }
                    end();
                    return false;
                }
                case 9 -> {
                    synchronized (this) {
                        ByteBuffer pong = ByteBuffer.allocate(2 + (int) length).put((byte) 0x8A).put((byte) length);
                        pong.put(a, from, (int) length).flip();
                        write(pong);
                    }
                }
                default -> { } // pong, binary, continuation: not used by the server under test
            }
            return true;
        }
    }

    private void loop() {
        try {
            while (!closed) {
                selector.select(500);
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) continue;
                    if (k.isAcceptable()) {
                        SocketChannel c;
                        while ((c = server.accept()) != null) {
                            c.configureBlocking(false);
                            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            Conn conn = new Conn(c);
                            synchronized (conn) {
                                conn.key = c.register(selector, SelectionKey.OP_READ, conn);
                            }
                        }
                        continue;
                    }
                    Conn conn = (Conn) k.attachment();
                    try {
                        if (k.isWritable()) conn.flush();
                        if (k.isValid() && k.isReadable()) conn.read();
                    } catch (IOException | RuntimeException e) {
                        conn.end();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) System.err.println("echo bots stopped: " + e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
            server.close();
        } catch (IOException e) {
            // closing
        }
    }
}
