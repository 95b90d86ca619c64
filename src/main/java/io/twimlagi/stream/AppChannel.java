package io.twimlagi.stream;

import io.twimlagi.stream.TwilioStreamProtocol.Inbound;
import io.twimlagi.stream.TwilioStreamProtocol.Media;
import io.twimlagi.stream.TwilioStreamProtocol.Outbound;
import io.twimlagi.webhook.AppWebSockets;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

import javax.net.ssl.SSLException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A stream's WebSocket to the app: Twilio's messages numbered in the order they go out, what the app sends read as
 * {@link Inbound}, and how the socket opened, failed or closed, told to {@link Events} (on OkHttp's threads).
 * Bounded: while more than {@link #MAX_QUEUED_BYTES} wait to be written (an app that does not read), media messages
 * are dropped and counted instead of queued; the other messages are few and always go.
 */
final class AppChannel extends WebSocketListener {
    /** About 15 s of one track's media messages. */
    static final long MAX_QUEUED_BYTES = 256 * 1024;
    /** How long a normal close may take before the socket is cancelled. */
    private static final int CLOSE_NORMAL = 1000;

    /** Why a stream could not open or broke: Twilio's error code and a text for logs and {@code StreamError}. */
    record Failure(int code, String text) {
    }

    /** What the session hears from the socket. */
    interface Events {
        void opened();

        /** The socket could not be opened (the first reason found). */
        void failedToOpen(Failure failure);

        void received(Inbound message);

        /** The app closed the socket (or it broke after opening: {@code failure} non-null). */
        void closedByApp(Failure failure);
    }

    private final String streamSid;
    private final CountDownLatch settled = new CountDownLatch(1);
    private Events events;
    private WebSocket socket;
    private long sequence = 1;
    private boolean open;
    private boolean closed;
    /** The last message ({@code stop}) went: nothing may follow it, whichever thread tries. */
    private boolean finished;
    private volatile Failure failure;
    private long dropped;
    private long sent;

    AppChannel(String streamSid) {
        this.streamSid = streamSid;
    }

    /** Starts opening {@code url}; the outcome goes to {@code events}. */
    void open(AppWebSockets sockets, String url, Events events) {
        this.events = events;
        WebSocket ws;
        try {
            ws = sockets.open(url, this);
        } catch (IllegalArgumentException e) { // a URL the client cannot open (StreamUrls refuses those it knows)
            fail(new Failure(31923, "cannot open " + url + ": " + e.getMessage()));
            events.failedToOpen(failure);
            return;
        }
        synchronized (this) {
            socket = ws;
        }
    }

    /**
     * Waits until the socket opened (true) or failed (false, see {@link #failure()}), at most {@code max} ms,
     * giving up early when {@code cancelled} says so (checked every 50 ms).
     */
    boolean awaitOpen(long maxMillis, BooleanSupplier cancelled) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (!settled.await(50, TimeUnit.MILLISECONDS)) {
            if (cancelled.getAsBoolean()) return false;
            if (System.nanoTime() >= deadline) {
                fail(new Failure(31901, "no answer from the WebSocket server within " + maxMillis + " ms"));
                cancel();
                return false;
            }
        }
        return failure == null;
    }

    Failure failure() {
        return failure;
    }

    /** Sends one message; false when it was not sent (not open, closed, after the last, or media over the bound). */
    synchronized boolean send(Outbound m) {
        if (!open || closed || finished) return false;
        if (m instanceof Media && socket.queueSize() > MAX_QUEUED_BYTES) {
            dropped++;
            return false;
        }
        boolean ok = socket.send(m.json(sequence));
        if (ok) {
            if (!(m instanceof TwilioStreamProtocol.Connected)) sequence++; // connected has no number: start is 1
            sent++;
        }
        return ok;
    }

    /**
     * Sends the stream's last message: under this lock, so a media, dtmf or mark another thread is sending now goes
     * before it or not at all (those threads check the stream's end before building their message).
     */
    synchronized boolean sendLast(Outbound m) {
        boolean ok = send(m);
        finished = true;
        return ok;
    }

    /** Media messages dropped because the app did not read them. */
    synchronized long dropped() {
        return dropped;
    }

    /** Bytes OkHttp holds for the app now. */
    synchronized long queuedBytes() {
        return socket == null ? 0 : socket.queueSize();
    }

    synchronized long sent() {
        return sent;
    }

    /** Closes normally (1000); messages queued before still go out first. */
    void close() {
        WebSocket ws;
        synchronized (this) {
            if (closed) return;
            closed = true;
            ws = socket;
        }
        if (ws != null && !ws.close(CLOSE_NORMAL, null)) ws.cancel();
    }

    /** Abandons the socket at once (it never opened, or will not close). */
    void cancel() {
        WebSocket ws;
        synchronized (this) {
            closed = true;
            ws = socket;
        }
        if (ws != null) ws.cancel();
    }

    private void fail(Failure f) {
        if (failure == null) failure = f;
        settled.countDown();
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        synchronized (this) {
            if (closed || failure != null) {
                webSocket.cancel();
                return;
            }
            socket = webSocket;
            open = true;
        }
        events.opened();
        settled.countDown();
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        events.received(TwilioStreamProtocol.parse(text, streamSid));
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
        events.received(new TwilioStreamProtocol.Invalid(TwilioStreamProtocol.MALFORMED_MESSAGE,
                "binary message of " + bytes.size() + " bytes"));
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        webSocket.close(CLOSE_NORMAL, null);
        appClosed(null);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        appClosed(null);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        boolean wasOpen;
        synchronized (this) {
            wasOpen = open;
        }
        Failure f = classify(t, response, wasOpen);
        if (!wasOpen) {
            fail(f);
            events.failedToOpen(failure);
            return;
        }
        appClosed(f);
    }

    private void appClosed(Failure f) {
        boolean ours;
        synchronized (this) {
            if (!open) return;
            open = false;
            ours = closed;
            closed = true;
        }
        if (!ours) events.closedByApp(f);
    }

    /** Twilio's code for why a socket failed. */
    static Failure classify(Throwable t, Response response, boolean wasOpen) {
        if (response != null && !wasOpen) {
            return new Failure(31920, "the WebSocket server answered HTTP " + response.code() + " instead of 101");
        }
        if (AppWebSockets.refusedByGuard(t)) {
            return new Failure(31902, "connection refused: " + t.getMessage());
        }
        String why = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (wasOpen) return new Failure(31921, "the WebSocket connection broke: " + why);
        if (t instanceof ConnectException) return new Failure(31902, "connection refused: " + why);
        if (t instanceof SSLException) return new Failure(31910, "TLS failed: " + why);
        if (t instanceof InterruptedIOException || t instanceof UnknownHostException) {
            return new Failure(31901, "no answer from the WebSocket server: " + why);
        }
        return new Failure(31920, "the WebSocket handshake failed: " + why);
    }
}
