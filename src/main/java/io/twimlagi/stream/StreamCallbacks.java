package io.twimlagi.stream;

import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.CallbackSender;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream's {@code statusCallback}: {@code stream-started}, {@code stream-stopped}, {@code stream-error} with
 * AccountSid, CallSid, StreamSid, StreamName, StreamEvent, StreamError (errors only) and Timestamp (ISO 8601,
 * UTC), signed and retried by {@link CallbackSender}. Nothing without a URL.
 */
final class StreamCallbacks {
    static final String STARTED = "stream-started";
    static final String STOPPED = "stream-stopped";
    static final String ERROR = "stream-error";

    private final CallbackSender sender;
    private final String url;
    private final HttpMethod method;
    private final Map<String, String> base = new LinkedHashMap<>();

    /** @param url absolute (resolved against the document), or null for none */
    StreamCallbacks(CallbackSender sender, String url, HttpMethod method, String accountSid, String callSid,
                    String streamSid, String streamName) {
        this.sender = sender;
        this.url = url;
        this.method = method == null ? HttpMethod.POST : method;
        base.put("AccountSid", accountSid);
        base.put("CallSid", callSid);
        base.put("StreamSid", streamSid);
        base.put("StreamName", streamName);
    }

    void started() {
        send(STARTED, null);
    }

    void stopped() {
        send(STOPPED, null);
    }

    void error(String text) {
        send(ERROR, text);
    }

    private void send(String event, String error) {
        if (url == null || url.isBlank() || sender == null) return;
        Map<String, String> p = new LinkedHashMap<>(base);
        p.put("StreamEvent", event);
        if (error != null) p.put("StreamError", error);
        p.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        sender.send(base.get("CallSid"), "stream status callback " + event, url, method, p);
    }
}
