package io.twimlagi.stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import okhttp3.Headers;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A Media Streams app for tests: OkHttp's MockWebServer answering WebSocket upgrades on {@code /stream...} (any path
 * below it), recording every message with its arrival time, and able to act like a bot (echo the caller's audio,
 * send audio, marks, clears, close). {@code /status} takes the status callbacks, {@code /reject} answers 403.
 *
 * <pre>
 * try (StreamApp app = new StreamApp()) {
 *     String url = app.url("/stream");                          // ws://127.0.0.1:port/stream
 *     StreamApp.Connection c = app.awaitConnection(Duration.ofSeconds(5));
 *     c.awaitEvent("start", Duration.ofSeconds(5));
 *     c.sendMedia(ulaw); c.sendMark("done");
 * }
 * </pre>
 */
public final class StreamApp implements AutoCloseable {
    /** One message from the server, parsed, with when it arrived (System.nanoTime). */
    public record Message(String text, JsonObject json, long nanos) {
        public String event() {
            return json == null || !json.has("event") ? "" : json.get("event").getAsString();
        }

        /** For media messages: the payload's μ-law bytes. */
        public byte[] payload() {
            return Base64.getDecoder().decode(json.getAsJsonObject("media").get("payload").getAsString());
        }

        public String track() {
            return json.getAsJsonObject("media").get("track").getAsString();
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Map<String, String>> callbacks = new ArrayList<>();
    /** Applied to each new connection before its first message. */
    private volatile boolean echo;
    /** Benchmarks: sees every text message first, raw; with it set, messages are not parsed nor kept. */
    private volatile BiConsumer<Connection, String> raw;

    public StreamApp() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath() == null ? "" : request.getPath();
                if (path.startsWith("/status")) {
                    synchronized (callbacks) {
                        callbacks.add(form(request.getBody().readUtf8()));
                        callbacks.notifyAll();
                    }
                    return new MockResponse().setResponseCode(204);
                }
                if (path.startsWith("/stream")) {
                    Connection c = new Connection(request.getHeaders(), path, echo);
                    return new MockResponse().withWebSocketUpgrade(c);
                }
                return new MockResponse().setResponseCode(path.startsWith("/reject") ? 403 : 404);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next connections echo every inbound media payload back as the app's media (an echo bot). */
    public StreamApp echo(boolean on) {
        echo = on;
        return this;
    }

    /**
     * Hands every text message, raw and at once, to {@code hook} (on the connection's thread) instead of parsing
     * and keeping it: for load, where thousands of messages a second would not fit the test's memory.
     */
    public StreamApp raw(BiConsumer<Connection, String> hook) {
        raw = hook;
        return this;
    }

    /** {@code ws://127.0.0.1:port} + path. */
    public String url(String path) {
        return "ws://" + server.getHostName() + ":" + server.getPort() + path;
    }

    /** {@code http://127.0.0.1:port} + path (status callbacks). */
    public String httpUrl(String path) {
        return server.url(path).toString();
    }

    /** Connections opened so far. */
    public List<Connection> connections() {
        synchronized (connections) {
            return List.copyOf(connections);
        }
    }

    /** Waits for the {@code n}-th (1-based) connection to open. */
    public Connection awaitConnection(int n, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (connections) {
            while (connections.size() < n) {
                if (!waitUntil(connections, deadline)) throw new AssertionError("no WebSocket connection " + n);
            }
            return connections.get(n - 1);
        }
    }

    public Connection awaitConnection(Duration max) {
        return awaitConnection(1, max);
    }

    /** Waits for a connection to {@code path} (without its query string, which the server removes). */
    public Connection awaitConnection(String path, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (connections) {
            while (true) {
                for (Connection c : connections) {
                    if (c.path.equals(path)) return c;
                }
                if (!waitUntil(connections, deadline)) throw new AssertionError("no WebSocket on " + path);
            }
        }
    }

    /** The status callbacks received, as form parameters. */
    public List<Map<String, String>> callbacks() {
        synchronized (callbacks) {
            return List.copyOf(callbacks);
        }
    }

    /** Waits for a status callback with this StreamEvent and returns it. */
    public Map<String, String> awaitCallback(String streamEvent, Duration max) {
        return awaitCallback(c -> streamEvent.equals(c.get("StreamEvent")), max);
    }

    /** Waits for a status callback that matches and returns it. */
    public Map<String, String> awaitCallback(Predicate<Map<String, String>> match, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (callbacks) {
            while (true) {
                for (Map<String, String> c : callbacks) {
                    if (match.test(c)) return c;
                }
                if (!waitUntil(callbacks, deadline)) throw new AssertionError("no such callback in " + callbacks);
            }
        }
    }

    private static boolean waitUntil(Object lock, long deadline) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) return false;
        try {
            lock.wait(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    @Override
    public void close() {
        for (Connection c : connections()) c.cancel();
        try {
            server.shutdown();
        } catch (IOException e) {
            // closing
        }
    }

    /** One WebSocket from the server under test. */
    public final class Connection extends WebSocketListener {
        public final Headers requestHeaders;
        public final String path;
        private final boolean echoing;
        private final List<Message> messages = new ArrayList<>();
        private volatile WebSocket socket;
        private volatile Integer closeCode;

        Connection(Headers headers, String path, boolean echoing) {
            this.requestHeaders = headers;
            this.path = path;
            this.echoing = echoing;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            synchronized (connections) {
                connections.add(this);
                connections.notifyAll();
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            BiConsumer<Connection, String> hook = raw;
            if (hook != null) {
                hook.accept(this, text);
                return;
            }
            JsonObject json = null;
            try {
                json = JsonParser.parseString(text).getAsJsonObject();
            } catch (RuntimeException e) {
                // recorded as text only
            }
            Message m = new Message(text, json, System.nanoTime());
            if (echoing && "media".equals(m.event())) sendMedia(m.payload());
            synchronized (messages) {
                messages.add(m);
                messages.notifyAll();
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            closeCode = code;
            webSocket.close(1000, null);
            synchronized (messages) {
                messages.notifyAll();
            }
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            if (closeCode == null) closeCode = -1;
            synchronized (messages) {
                messages.notifyAll();
            }
        }

        /** The close code the server sent (null while open; -1 when the connection broke). */
        public Integer closeCode() {
            return closeCode;
        }

        public List<Message> messages() {
            synchronized (messages) {
                return List.copyOf(messages);
            }
        }

        public List<Message> events(String event) {
            return messages().stream().filter(m -> m.event().equals(event)).toList();
        }

        /** Waits for a message matching {@code p}; returns it. */
        public Message await(Predicate<Message> p, Duration max) {
            long deadline = System.nanoTime() + max.toNanos();
            synchronized (messages) {
                while (true) {
                    for (Message m : messages) {
                        if (p.test(m)) return m;
                    }
                    if (!waitUntil(messages, deadline)) {
                        throw new AssertionError("no matching message; got " + messages.size() + " messages: "
                                + messages.stream().map(Message::event).distinct().toList());
                    }
                }
            }
        }

        public Message awaitEvent(String event, Duration max) {
            return await(m -> m.event().equals(event), max);
        }

        /** Waits until the server closed the socket. */
        public boolean awaitClosed(Duration max) {
            long deadline = System.nanoTime() + max.toNanos();
            synchronized (messages) {
                while (closeCode == null) {
                    if (!waitUntil(messages, deadline)) return false;
                }
                return true;
            }
        }

        /** The streamSid of the start message (waits for it). */
        public String streamSid() {
            return awaitEvent("start", Duration.ofSeconds(10)).json().get("streamSid").getAsString();
        }

        public void send(String text) {
            socket.send(text);
        }

        /** Bytes waiting to be sent to the server. */
        public long queued() {
            WebSocket s = socket;
            return s == null ? 0 : s.queueSize();
        }

        public void sendMedia(byte[] ulaw) {
            send("{\"event\":\"media\",\"streamSid\":\"" + streamSid() + "\",\"media\":{\"payload\":\""
                    + Base64.getEncoder().encodeToString(ulaw) + "\"}}");
        }

        public void sendMark(String name) {
            send("{\"event\":\"mark\",\"streamSid\":\"" + streamSid() + "\",\"mark\":{\"name\":\"" + name + "\"}}");
        }

        public void sendClear() {
            send("{\"event\":\"clear\",\"streamSid\":\"" + streamSid() + "\"}");
        }

        /** Closes the socket as an app that is done (1000). */
        public void close() {
            socket.close(1000, "bye");
        }

        void cancel() {
            WebSocket s = socket;
            try {
                if (s != null) s.close(1001, null);
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }
}
