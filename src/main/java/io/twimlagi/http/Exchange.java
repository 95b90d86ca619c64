package io.twimlagi.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.UrlEncoded;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One request and its answer, as a {@link Route} sees them: the request fully read, and {@code send} methods that
 * write the answer without blocking the route's thread. The write is bounded by {@link HttpLimits#writeDeadline};
 * a client that does not take the answer in time has its connection closed.
 */
public final class Exchange {
    private static final int FILE_BUFFER = 64 * 1024;

    private final Request request;
    private final Response response;
    private final Callback done;
    private final HttpLimits limits;
    private final byte[] body;
    private final Map<String, String> params;
    private final AtomicBoolean sent = new AtomicBoolean();

    Exchange(Request request, Response response, Callback done, HttpLimits limits, byte[] body,
             Map<String, String> params) {
        this.request = request;
        this.response = response;
        this.done = done;
        this.limits = limits;
        this.body = body;
        this.params = params;
    }

    public String method() {
        return request.getMethod();
    }

    public boolean isGetOrHead() {
        return method().equals("GET") || method().equals("HEAD");
    }

    public boolean isHead() {
        return method().equals("HEAD");
    }

    /** The decoded path, without the query. */
    public String path() {
        return Request.getPathInContext(request);
    }

    /** A {@code {name}} segment of the route's pattern; null when the pattern has none of that name. */
    public String pathParam(String name) {
        return params.get(name);
    }

    /** The raw query string, or null. */
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    /** The first value of a request header, or null. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The client's address (null if the transport has none). */
    public InetSocketAddress remote() {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i : null;
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Form parameters ({@code application/x-www-form-urlencoded}, UTF-8), in order, repeatable: the body when the
     * request has one, else the query string. A malformed encoding is a 400 {@link HttpError}.
     */
    public Map<String, List<String>> form() {
        String text = body.length > 0 ? bodyText() : rawQuery() == null ? "" : rawQuery();
        Map<String, List<String>> out = new LinkedHashMap<>();
        try {
            UrlEncoded.decodeTo(text, (k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(v),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed form encoding");
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    /** Sets a response header (before a {@code send}). */
    public Exchange responseHeader(String name, String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    /** Answers {@code status} with a UTF-8 text body ({@code Content-Length} set; no body for HEAD). */
    public void send(int status, String contentType, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        begin(status, contentType, bytes.length);
        write(isHead() ? 0 : bytes.length,
                cb -> response.write(true, isHead() ? null : ByteBuffer.wrap(bytes), cb));
    }

    public void sendText(int status, String text) {
        send(status, "text/plain", text);
    }

    public void sendJson(int status, String json) {
        send(status, "application/json", json);
    }

    /**
     * Answers 200 with a file. The file is opened first, so a missing one throws
     * {@link java.nio.file.NoSuchFileException} with nothing sent.
     */
    public void sendFile(String contentType, Path file) throws IOException {
        SeekableByteChannel channel = Files.newByteChannel(file);
        long length;
        try {
            length = channel.size();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        begin(200, contentType, length);
        if (isHead() || length == 0) {
            channel.close();
            write(0, cb -> response.write(true, null, cb));
            return;
        }
        Content.Source source = Content.Source.from(new ByteBufferPool.Sized(
                request.getComponents().getByteBufferPool(), false, FILE_BUFFER), channel, 0, length);
        write(length, cb -> Content.copy(source, response, Callback.from(() -> {
            closeQuietly(channel);
            cb.succeeded();
        }, x -> {
            closeQuietly(channel);
            cb.failed(x);
        })));
    }

    /** Whether a {@code send} method was called. */
    public boolean sent() {
        return sent.get();
    }

    private void begin(int status, String contentType, long length) {
        if (!sent.compareAndSet(false, true)) throw new IllegalStateException("answer already sent");
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    }

    /** Starts the write; a client that has not taken it by the deadline loses its connection. */
    private void write(long bodyBytes, Consumer<Callback> writer) {
        Scheduler scheduler = request.getComponents().getScheduler();
        Scheduler.Task deadline = scheduler.schedule(this::abort, limits.writeDeadline(bodyBytes).toNanos(),
                TimeUnit.NANOSECONDS);
        writer.accept(Callback.from(() -> {
            deadline.cancel();
            done.succeeded();
        }, x -> {
            deadline.cancel();
            done.failed(x);
        }));
    }

    /** Closing the connection fails the pending write, which completes the exchange. */
    private void abort() {
        request.getConnectionMetaData().getConnection().getEndPoint().close();
    }

    private static void closeQuietly(SeekableByteChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only file: nothing was lost
        }
    }
}
