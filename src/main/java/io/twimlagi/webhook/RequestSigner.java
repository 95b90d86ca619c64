package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes {@code X-Twilio-Signature} (twiml.md §4.1): HMAC-SHA1, keyed with the auth token, over the URL exactly as
 * sent on the wire (scheme, host, port if any, path, full query; never a fragment) followed, for POST only, by every
 * body parameter's name and value concatenated, sorted by name. The result is standard Base64 with padding.
 *
 * <p>Ordering is {@link String#compareTo} (UTF-16 code-unit order), as twilio-java and twilio-node sort; for a
 * repeated name the values are sorted too and exact duplicate name/value pairs are dropped, as the helper libraries do.
 * A null value counts as the empty string. For GET nothing is appended: the parameters must already be in the URL.
 */
public final class RequestSigner {
    private static final Comparator<Map.Entry<String, String>> ORDER =
            Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue());

    private RequestSigner() {
    }

    public static String sign(String authToken, String url, HttpMethod method, Map<String, String> params) {
        return sign(authToken, url, method, params == null ? List.of() : new ArrayList<>(params.entrySet()));
    }

    public static String sign(String authToken, String url, HttpMethod method,
                              List<? extends Map.Entry<String, String>> params) {
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        StringBuilder data = new StringBuilder(url);
        if (method == HttpMethod.POST && params != null && !params.isEmpty()) {
            List<Map.Entry<String, String>> sorted = new ArrayList<>(params.size());
            for (Map.Entry<String, String> e : params) {
                Objects.requireNonNull(e.getKey(), "parameter name");
                sorted.add(Map.entry(e.getKey(), e.getValue() == null ? "" : e.getValue()));
            }
            sorted.sort(ORDER);
            Map.Entry<String, String> previous = null;
            for (Map.Entry<String, String> e : sorted) {
                if (e.equals(previous)) continue;
                data.append(e.getKey()).append(e.getValue());
                previous = e;
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] digest = mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
