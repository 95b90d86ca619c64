package io.twimlagi.agi;

import org.asteriskjava.util.SocketConnectionFacade;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One FastAGI connection as asterisk-java's reader and writer see it (lines ending in {@code \n}, UTF-8, a
 * {@code \r} kept as Asterisk keeps it), with what asterisk-java's socket lacks: a <em>deadline</em> for reads (a
 * total time, not a per-read timeout, so a peer dripping one byte at a time cannot stretch it), after which the
 * connection is closed and {@link #timedOut()} is true; and a cap on a line's length. No deadline = wait as long
 * as the call lasts. Used by one call thread at a time.
 */
final class AgiSocket implements SocketConnectionFacade {
    /** Longer lines are not Asterisk's (its own command buffer is 8 KB; values read back stay far below). */
    static final int MAX_LINE = 1 << 20;
    /** Asterisk's environment has ~20 lines plus one per AGI() argument. */
    static final int MAX_ENVIRONMENT_LINES = 256;
    /** Asterisk's environment is about 2 KB (each line is one of its variables, an argument at most 8 KB). */
    static final int MAX_ENVIRONMENT_LINE = 8 * 1024;
    static final int MAX_ENVIRONMENT_BYTES = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;
    private final ByteArrayOutputStream pendingWrite = new ByteArrayOutputStream(256);
    /** The environment read ahead by {@link #readEnvironment}, replayed to asterisk-java's reader. */
    private final Deque<String> replay = new ArrayDeque<>();
    private long deadline;
    private boolean hasDeadline;
    private volatile boolean timedOut;

    AgiSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Reads from now on must complete within {@code d}; past it the connection is closed. */
    void deadline(Duration d) {
        deadline = System.nanoTime() + d.toNanos();
        hasDeadline = true;
    }

    /** Reads wait as long as needed (a Dial, a conference). */
    void noDeadline() {
        hasDeadline = false;
    }

    /** True once a read ran past its deadline (the connection is then closed). */
    boolean timedOut() {
        return timedOut;
    }

    /**
     * Reads Asterisk's {@code agi_*} environment up to its empty line within the current deadline, keeping it for
     * asterisk-java's reader. False when the peer closed, sent too much or ran out of time (the connection is then
     * unusable); nothing was handed to asterisk-java yet, so such a connection costs no log line of its own.
     */
    boolean readEnvironment() {
        try {
            int bytes = 0;
            for (int i = 0; i <= MAX_ENVIRONMENT_LINES; i++) {
                String line = readRawLine(MAX_ENVIRONMENT_LINE);
                if (line == null) return false;
                bytes += line.length() + 1;
                if (bytes > MAX_ENVIRONMENT_BYTES) return false;
                replay.add(line);
                if (line.isEmpty()) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String readLine() throws IOException {
        return replay.isEmpty() ? readRawLine() : replay.poll();
    }

    private String readRawLine() throws IOException {
        return readRawLine(MAX_LINE);
    }

    private String readRawLine(int maxLine) throws IOException {
        ByteArrayOutputStream line = null;
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    if ((line == null ? 0 : line.size()) + (i - pos) > maxLine) {
                        throw new IOException("AGI line longer than " + maxLine + " bytes");
                    }
                    String s = line == null ? new String(buf, pos, i - pos, StandardCharsets.UTF_8)
                            : append(line, i).toString(StandardCharsets.UTF_8);
                    pos = i + 1;
                    return s;
                }
            }
            if (limit > pos) {
                if (line == null) line = new ByteArrayOutputStream(Math.max(64, (limit - pos) * 2));
                append(line, limit);
                if (line.size() > maxLine) throw new IOException("AGI line longer than " + maxLine + " bytes");
            }
            pos = limit;
            if (!fill()) return line == null || line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }
    }

    private ByteArrayOutputStream append(ByteArrayOutputStream line, int end) {
        line.write(buf, pos, end - pos);
        return line;
    }

    /** Reads more bytes within the deadline; false at end of stream. */
    private boolean fill() throws IOException {
        int timeoutMs = 0;
        if (hasDeadline) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw expired();
            timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
        }
        int n;
        try {
            socket.setSoTimeout(timeoutMs);
            n = in.read(buf);
        } catch (SocketTimeoutException e) {
            throw expired();
        }
        if (n < 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    private IOException expired() {
        timedOut = true;
        closeQuietly();
        return new SocketTimeoutException("no AGI data within the deadline");
    }

    @Override
    public void write(String s) {
        pendingWrite.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() throws IOException {
        pendingWrite.writeTo(out);
        pendingWrite.reset();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public InetAddress getRemoteAddress() {
        return socket.getInetAddress();
    }

    @Override
    public int getRemotePort() {
        return socket.getPort();
    }
}
