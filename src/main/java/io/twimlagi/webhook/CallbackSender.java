package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Fire-and-forget webhooks whose response Twilio ignores (recording and call status callbacks): sent on their
 * own threads so the caller never waits, signed like every request, retried a bounded number of times.
 */
public final class CallbackSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);
    static final int MAX_ATTEMPTS = 3;
    private static final long FIRST_RETRY_MS = 1000;

    private final WebhookClient client;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService retries;

    public CallbackSender(WebhookClient client) {
        this.client = client;
        this.workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
                r -> daemon(r, "callback"));
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "callback-retry"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Queues the request; {@code callSid} labels the log lines. */
    public void send(String callSid, String what, WebhookRequest request) {
        submit(callSid, what, request, 1);
    }

    /**
     * Queues a request to a URL the app's TwiML named: one that cannot be requested (not an absolute http(s) URL)
     * is logged as error 11100 (invalid URL) and not sent; the call goes on.
     */
    public void send(String callSid, String what, String url, HttpMethod method, Map<String, String> params) {
        if (!WebhookRequest.isHttpUrl(url)) {
            log.error("{} error 11100: {} URL \"{}\" is not an absolute http(s) URL; not sent", callSid, what,
                    url == null ? "" : url.replaceAll("\\p{Cntrl}", "?"));
            return;
        }
        send(callSid, what, new WebhookRequest(url, method, params));
    }

    private void submit(String callSid, String what, WebhookRequest request, int attempt) {
        try {
            workers.execute(() -> attempt(callSid, what, request, attempt));
        } catch (RejectedExecutionException e) {
            log.error("{} {} to {} dropped: callback queue full or closed", callSid, what, request.url());
        }
    }

    private void attempt(String callSid, String what, WebhookRequest request, int attempt) {
        try {
            WebhookResponse r = client.fetch(request);
            log.info("{} {} {} -> {} in {} ms", callSid, what, request.url(), r.status(), r.millis());
        } catch (WebhookException e) {
            // a callback's answer carries no TwiML: a missing Content-Type is no failure
            if (e.errorCode() == WebhookException.INVALID_CONTENT_TYPE) {
                log.info("{} {} {} -> delivered (no Content-Type)", callSid, what, request.url());
                return;
            }
            if (attempt >= MAX_ATTEMPTS) {
                log.error("{} {} to {} failed after {} attempts: error {} {}", callSid, what, request.url(),
                        attempt, e.errorCode(), e.getMessage());
                return;
            }
            long delay = FIRST_RETRY_MS << (attempt - 1);
            log.warn("{} {} to {} failed (error {}), retrying in {} ms", callSid, what, request.url(),
                    e.errorCode(), delay);
            try {
                retries.schedule(() -> submit(callSid, what, request, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                log.error("{} {} to {} dropped at shutdown", callSid, what, request.url());
            }
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
