package io.twimlagi.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection for the REST benches: the request is written in one {@code write} (one TCP
 * segment, TCP_NODELAY) right after its send time is taken, so the time stands for the request leaving the client;
 * nothing else (no pool, no thread hand-off) sits between the clock and the socket. Reconnects once when the server
 * closed an idle connection. Not thread-safe: one connection per thread.
 */
final class RawHttp implements AutoCloseable {
    /** An answer: HTTP status, body, and when the request was written and the answer read (epoch microseconds). */
    record Response(int status, String body, long sentMicros, long doneMicros) {
        double millis() {
            return (doneMicros - sentMicros) / 1000.0;
        }
    }

    private final InetSocketAddress server;
    private final String authorization;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    RawHttp(InetSocketAddress server, String user, String password) {
        this.server = server;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    Response get(String pathAndQuery) throws IOException {
        return exchange("GET", pathAndQuery, null);
    }

    Response post(String path, String form) throws IOException {
        return exchange("POST", path, form);
    }

    private Response exchange(String method, String path, String form) throws IOException {
        byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n")
                .append("Authorization: ").append(authorization).append("\r\n")
                .append("User-Agent: twiml-agi-bench\r\nAccept: application/json\r\n");
        if (form != null) {
            head.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[h.length + body.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        boolean fresh = socket == null;
        if (fresh) connect();
        long sent = Clocks.epochMicros();
        try {
            out.write(request);
            out.flush();
            return read(sent);
        } catch (IOException e) {
            close();
            if (fresh) throw e;
            connect(); // the server closed the idle connection: once more on a new one
            sent = Clocks.epochMicros();
            out.write(request);
            out.flush();
            return read(sent);
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 5000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    private Response read(long sent) throws IOException {
        String status = line();
        if (status == null) throw new IOException("connection closed before the answer");
        int code = Integer.parseInt(status.split(" ", 3)[1]);
        int length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String l; !(l = headerLine()).isEmpty(); ) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Integer.parseInt(l.substring(15).strip());
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(length, 256));
        if (chunked) {
            for (int n; (n = Integer.parseInt(headerLine().split(";")[0].strip(), 16)) > 0; ) {
                body.write(in.readNBytes(n));
                headerLine();
            }
            while (!headerLine().isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            body.write(in.readNBytes(length));
        }
        long done = Clocks.epochMicros();
        if (close) close();
        return new Response(code, body.toString(StandardCharsets.UTF_8), sent, done);
    }

    private String headerLine() throws IOException {
        String l = line();
        if (l == null) throw new IOException("connection closed in the answer's headers");
        return l;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        if (b.length() == 0) return null;
        throw new IOException("connection closed in a line");
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }
}
