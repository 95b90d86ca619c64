package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;
import okhttp3.HttpUrl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One TwiML/callback request. {@code url} should be an absolute http(s) URL; it may carry a Twilio connection-override
 * fragment ({@code #ct=..&rt=..&tt=..&rc=..&rp=..}), which is never sent nor signed. Any other URL (a {@code file:}
 * one from TwiML, a refused one) is accepted here and fails when sent (error 11100, or refused by
 * {@link CallbackSender}): a URL from a document must never throw in a verb. {@code params} keep their insertion
 * order (the order of the form body / appended query); a null map means no parameters, a null value is sent as
 * the empty string.
 */
public record WebhookRequest(String url, HttpMethod method, Map<String, String> params) {

    public WebhookRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Map<String, String> copy = new LinkedHashMap<>();
        if (params != null) {
            params.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "parameter name"), v == null ? "" : v));
        }
        params = Collections.unmodifiableMap(copy);
    }

    /** An http(s) URL that OkHttp can send. */
    public boolean isWeb() {
        return UrlPolicy.isWeb(url) && HttpUrl.parse(url.trim()) != null;
    }

    /** True when {@code url} can be requested: an absolute http(s) URL (a TwiML document may name anything). */
    public static boolean isHttpUrl(String url) {
        return url != null && HttpUrl.parse(url.trim()) != null;
    }
}
