package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.util.Redaction;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Fire-and-forget webhooks whose response Twilio ignores (recording and call status callbacks): sent on their
 * own threads so the caller never waits, signed like every request, retried a bounded number of times.
 *
 * <p>Each host (scheme, host, port) has its own lane: at most {@link #PER_HOST} of its callbacks are in flight and
 * at most {@link #QUEUE_PER_HOST} wait, so a slow or dead app delays (and, when its queue is full, loses) only its
 * own callbacks; the others' go out meanwhile on the remaining threads. It takes {@link #THREADS} /
 * {@link #PER_HOST} hosts that all hang at once to delay everyone. Callbacks to a URL that is not http(s) (a
 * {@code file:} URL from TwiML, one {@link UrlPolicy} refused) are logged and never sent.
 */
public final class CallbackSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);
    static final int MAX_ATTEMPTS = 3;
    private static final long FIRST_RETRY_MS = 1000;
    /** Callbacks of one host in flight at once: what a hung app can hold. */
    static final int PER_HOST = 4;
    /** Callbacks of one host waiting for a free slot; beyond it that host's new callbacks are dropped (logged). */
    static final int QUEUE_PER_HOST = 1000;
    /** Callbacks waiting in all, as before the lanes. */
    static final int QUEUE_TOTAL = 10_000;
    static final int THREADS = 64;

    private final WebhookClient client;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService retries;
    /** Lanes with callbacks in flight or waiting; guarded by {@code this}. */
    private final Map<String, Lane> lanes = new HashMap<>();
    private int waiting;
    private boolean closed;

    private record Callback(String callSid, String what, WebhookRequest request, int attempt) {
    }

    /** One host's callbacks: those in flight ({@code running}, at most PER_HOST) and those waiting. */
    private static final class Lane {
        final String host;
        final ArrayDeque<Callback> queue = new ArrayDeque<>();
        int running;

        Lane(String host) {
            this.host = host;
        }
    }

    public CallbackSender(WebhookClient client) {
        this.client = client;
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "callback"));
        this.workers.allowCoreThreadTimeOut(true);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "callback-retry"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Queues the request; {@code callSid} labels the log lines. */
    public void send(String callSid, String what, WebhookRequest request) {
        if (!request.isWeb()) {
            log.error("{} {} not sent: {} is not an http(s) URL (callbacks are never files)", callSid, what,
                    Redaction.redact(UrlPolicy.original(request.url())));
            return;
        }
        submit(new Callback(callSid, what, request, 1));
    }

    /**
     * Queues a request to a URL the app's TwiML named: one that cannot be requested (not an absolute http(s) URL)
     * is logged as error 11100 (invalid URL) and not sent; the call goes on.
     */
    public void send(String callSid, String what, String url, HttpMethod method, Map<String, String> params) {
        if (!WebhookRequest.isHttpUrl(url)) {
            log.error("{} error 11100: {} URL \"{}\" is not an absolute http(s) URL; not sent", callSid, what,
                    shownUrl(url));
            return;
        }
        send(callSid, what, new WebhookRequest(url, method, params));
    }

    private void submit(Callback c) {
        String host = hostOf(c.request().url());
        Lane start;
        synchronized (this) {
            if (closed) {
                log.error("{} {} to {} dropped: shutting down", c.callSid(), c.what(), shown(c));
                return;
            }
            Lane lane = lanes.computeIfAbsent(host, Lane::new);
            if (lane.running < PER_HOST) {
                lane.running++;
                start = lane;
            } else if (lane.queue.size() < QUEUE_PER_HOST && waiting < QUEUE_TOTAL) {
                lane.queue.add(c);
                waiting++;
                return;
            } else {
                log.error("{} {} to {} dropped: {} callbacks already wait for {}", c.callSid(), c.what(), shown(c),
                        lane.queue.size(), host);
                return;
            }
        }
        run(start, c);
    }

    /** Runs {@code c} in its lane's slot; the slot then takes the lane's next waiting callback, or is freed. */
    private void run(Lane lane, Callback c) {
        try {
            workers.execute(() -> {
                try {
                    attempt(c);
                } finally {
                    next(lane);
                }
            });
        } catch (RejectedExecutionException e) {
            log.error("{} {} to {} dropped at shutdown", c.callSid(), c.what(), shown(c));
            release(lane);
        }
    }

    private void next(Lane lane) {
        Callback following;
        synchronized (this) {
            following = lane.queue.poll();
            if (following == null) {
                releaseLocked(lane);
                return;
            }
            waiting--;
        }
        run(lane, following);
    }

    private synchronized void release(Lane lane) {
        releaseLocked(lane);
    }

    private void releaseLocked(Lane lane) {
        lane.running--;
        if (lane.running == 0 && lane.queue.isEmpty()) lanes.remove(lane.host);
        if (lanes.isEmpty()) notifyAll(); // close() waits for the last ones
    }

    private void attempt(Callback c) {
        WebhookRequest request = c.request();
        try {
            WebhookResponse r = client.fetch(request);
            log.info("{} {} {} -> {} in {} ms", c.callSid(), c.what(), shown(c), r.status(), r.millis());
        } catch (WebhookException e) {
            // a callback's answer carries no TwiML: a missing Content-Type is no failure
            if (e.errorCode() == WebhookException.INVALID_CONTENT_TYPE) {
                log.info("{} {} {} -> delivered (no Content-Type)", c.callSid(), c.what(), shown(c));
                return;
            }
            if (c.attempt() >= MAX_ATTEMPTS) {
                log.error("{} {} to {} failed after {} attempts: error {} {}", c.callSid(), c.what(), shown(c),
                        c.attempt(), e.errorCode(), e.getMessage());
                return;
            }
            long delay = FIRST_RETRY_MS << (c.attempt() - 1);
            log.warn("{} {} to {} failed (error {}), retrying in {} ms", c.callSid(), c.what(), shown(c),
                    e.errorCode(), delay);
            Callback again = new Callback(c.callSid(), c.what(), request, c.attempt() + 1);
            try {
                retries.schedule(() -> submit(again), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                log.error("{} {} to {} dropped at shutdown", c.callSid(), c.what(), shown(c));
            }
        }
    }

    /** The lane key: scheme, host and port. */
    static String hostOf(String url) {
        HttpUrl u = HttpUrl.parse(url.trim());
        return u == null ? "" : u.scheme() + "://" + u.host() + ":" + u.port();
    }

    private static String shown(Callback c) {
        return shownUrl(c.request().url());
    }

    /**
     * A callback URL as logged: OkHttp's canonical form (what is requested: line breaks dropped, other control
     * characters and non-ASCII percent-encoded), so an app's URL cannot forge log lines; credentials redacted.
     */
    static String shownUrl(String url) {
        HttpUrl u = url == null ? null : HttpUrl.parse(url.trim());
        if (u != null) return Redaction.redact(u.toString());
        return url == null ? "" : Redaction.redact(url.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", "?"));
    }

    /** Takes no more callbacks, gives those queued up to 5 s in all to go out (retries are dropped), then stops. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        retries.shutdownNow();
        try {
            synchronized (this) {
                closed = true;
                long left;
                while (!lanes.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            workers.shutdown();
            workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdown();
        }
    }
}
