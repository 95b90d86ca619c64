package io.twimlagi.audiosocket;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Asterisk's side of one AudioSocket connection, for tests: connects to a server address, presents a UUID, sends
 * audio and DTMF messages, and records every message it receives with its arrival time.
 *
 * <pre>
 * try (FakeAudioSocket a = FakeAudioSocket.connect(link.address(), link.id())) {
 *     a.sendAudio(new byte[320]);
 *     a.awaitReceived(m -> m.kind() == 0x00, Duration.ofSeconds(2)); // the server hung up
 * }
 * </pre>
 */
public final class FakeAudioSocket implements AutoCloseable {
    /** A message received: its kind, payload and when it arrived (System.nanoTime). */
    public record Received(int kind, byte[] payload, long nanos) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final List<Received> received = new ArrayList<>();
    private final Thread reader;
    private volatile boolean eof;

    private FakeAudioSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        socket.setTcpNoDelay(true);
        reader = new Thread(this::read, "fake-audiosocket");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to {@code address} ({@code host:port}) and sends the UUID message. */
    public static FakeAudioSocket connect(String address, String id) {
        try {
            int colon = address.lastIndexOf(':');
            Socket s = new Socket();
            s.connect(new InetSocketAddress(address.substring(0, colon).replace("[", "").replace("]", ""),
                    Integer.parseInt(address.substring(colon + 1))), 2000);
            FakeAudioSocket a = new FakeAudioSocket(s);
            UUID u = UUID.fromString(id);
            a.send(0x01, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                    .putLong(u.getLeastSignificantBits()).array());
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void sendAudio(byte[] pcm) {
        send(0x10, pcm);
    }

    public void sendDtmf(char digit) {
        send(0x03, new byte[] {(byte) digit});
    }

    public void sendHangup() {
        send(0x00, new byte[0]);
    }

    public synchronized void send(int kind, byte[] payload) {
        try {
            byte[] m = new byte[3 + payload.length];
            m[0] = (byte) kind;
            m[1] = (byte) (payload.length >> 8);
            m[2] = (byte) payload.length;
            System.arraycopy(payload, 0, m, 3, payload.length);
            out.write(m);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int kind = in.readUnsignedByte();
                int length = in.readUnsignedShort();
                byte[] p = new byte[length];
                in.readFully(p);
                synchronized (received) {
                    received.add(new Received(kind, p, System.nanoTime()));
                    received.notifyAll();
                }
            }
        } catch (EOFException e) {
            // the server closed
        } catch (IOException e) {
            // closed
        } finally {
            synchronized (received) {
                eof = true;
                received.notifyAll();
            }
        }
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until a received message matches; false on timeout. */
    public boolean awaitReceived(Predicate<Received> p, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (received) {
            while (received.stream().noneMatch(p)) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return false;
                try {
                    received.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Waits until the server closed the connection; false on timeout. */
    public boolean awaitClosedByServer(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (received) {
            while (!eof) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return false;
                try {
                    received.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }
}
